"""The batched scanner against real semgrep: one call, results mapped back per response."""

from __future__ import annotations

from coderlhf_tui.domain import Language, Severity
from coderlhf_tui.scan.batch import SHARD_FROM, ScanItem, scan_batch, scannable

VULNERABLE = {
    Language.PYTHON: ("import os\n\ndef run(host):\n    os.system('ping ' + host)\n", "CWE-78"),
    Language.JAVASCRIPT: (
        "function f(db, id) {\n  return db.query(`SELECT * FROM t WHERE id = ${id}`);\n}\n",
        "CWE-89",
    ),
    Language.TYPESCRIPT: (
        "export function calc(expr: string): number {\n  return eval(expr) as number;\n}\n",
        "CWE-95",
    ),
    Language.JAVA: (
        "class A {\n  void f(String h) throws Exception {\n"
        '    Runtime.getRuntime().exec("ping " + h);\n  }\n}\n',
        "CWE-78",
    ),
    Language.GO: (
        'package main\n\nimport "crypto/md5"\n\nfunc h(b []byte) [16]byte {\n'
        "\treturn md5.Sum(b)\n}\n",
        "CWE-328",
    ),
    Language.RUST: (
        "fn c() -> reqwest::Result<reqwest::Client> {\n"
        "    reqwest::Client::builder().danger_accept_invalid_certs(true).build()\n}\n",
        "CWE-295",
    ),
    Language.C: ("#include <stdio.h>\nint main(void) {\n  char b[8];\n  gets(b);\n}\n", "CWE-242"),
    Language.CPP: (
        "#include <cstring>\nvoid f(char *d, const char *s) {\n  strcpy(d, s);\n}\n",
        "CWE-120",
    ),
    Language.SQL: ("GRANT ALL PRIVILEGES ON shop.* TO 'app'@'%';\n", "CWE-269"),
    Language.PHP: ("<?php\n$r = unserialize($_COOKIE['cart']);\n", "CWE-502"),
}

CLEAN = {
    Language.PYTHON: "def add(a: int, b: int) -> int:\n    return a + b\n",
    Language.SQL: "SELECT name, SUM(total) FROM orders GROUP BY name;\n",
    Language.C: "int add(int a, int b) { return a + b; }\n",
}


def test_one_batch_finds_each_language_weakness_and_keeps_clean_code_clean(semgrep: str) -> None:
    items = [ScanItem(f"vuln-{lang.value}", lang, code) for lang, (code, _) in VULNERABLE.items()]
    items += [ScanItem(f"clean-{lang.value}", lang, code) for lang, code in CLEAN.items()]
    found = scan_batch(items, jobs=2)
    assert set(found) == {item.key for item in items}
    for lang, (_, cwe) in VULNERABLE.items():
        cwes = {f.cwe_id for f in found[f"vuln-{lang.value}"]}
        assert cwe in cwes, (lang, found[f"vuln-{lang.value}"])
    for lang in CLEAN:
        assert found[f"clean-{lang.value}"] == [], lang
    gets = next(f for f in found["vuln-c"] if f.cwe_id == "CWE-242")
    assert (gets.start_line, gets.severity, gets.source) == (4, Severity.CRITICAL, "semgrep")
    assert gets.fix_hint and gets.owasp and gets.cwe_title


def test_truncated_code_is_caught_by_the_regex_fallback(semgrep: str) -> None:
    truncated = "Here is the code:\n\ndef run(cmd):\n    os.system('rm -rf ' + cmd\n"
    parsed = "import os\n\ndef run(cmd):\n    os.system('rm -rf ' + cmd)\n"
    found = scan_batch(
        [
            ScanItem("cut", Language.PYTHON, truncated),
            ScanItem("whole", Language.PYTHON, parsed),
        ]
    )
    assert [(f.rule_id, f.start_line, f.source) for f in found["cut"]] == [
        ("fallback-python-shell-command", 4, "fallback")
    ]
    assert [f.source for f in found["whole"]] == ["semgrep"]


def test_identical_code_under_two_keys_gets_the_same_findings(semgrep: str) -> None:
    code = "import pickle\n\ndef load(b):\n    return pickle.loads(b)\n"
    found = scan_batch([ScanItem("x", Language.PYTHON, code), ScanItem("y", Language.PYTHON, code)])
    assert found["x"] == found["y"] != []


def test_php_without_an_open_tag_keeps_its_line_numbers() -> None:
    item = ScanItem("p", Language.PHP, "$a = 1;\neval($_GET['x']);\n")
    text = scannable(item)
    assert text.startswith("<?php ") and text.count("\n") == item.code.count("\n")
    assert scan_batch([]) == {}


def test_a_sharded_batch_finds_what_one_process_finds(semgrep: str) -> None:
    """A batch of ``jobs * SHARD_FROM`` responses runs as ``jobs`` one-worker semgrep
    processes; findings (fallback regions and taint traces included) equal one process's."""
    flow = (
        "import os\n\n\ndef handler(request):\n    name = request.args.get('name')\n"
        "    os.system('ls ' + name)\n"
    )
    truncated = "Here is the code:\n\ndef run(cmd):\n    os.system('rm -rf ' + cmd\n"
    samples = [code for code, _ in VULNERABLE.values()] + [flow, truncated]
    languages = [*VULNERABLE, Language.PYTHON, Language.PYTHON]
    items = [
        ScanItem(f"k{i}", languages[i % len(samples)], samples[i % len(samples)])
        for i in range(2 * SHARD_FROM)
    ]
    sharded = scan_batch(items, jobs=2)
    single = scan_batch(items[: len(samples) * 2], jobs=1)
    assert all(sharded[key] == found for key, found in single.items())
    assert all(sharded[i.key] == sharded[f"k{n % len(samples)}"] for n, i in enumerate(items))
    assert any(f.trace for f in sharded[f"k{len(samples) - 2}"])
    assert [f.source for f in sharded[f"k{len(samples) - 1}"]] == ["fallback"]
