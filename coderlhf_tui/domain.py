"""The domain model: plain dataclasses and enums shared by every layer.

Nothing here does I/O, imports Textual or speaks SQL. The store, the runners, the
scanner, the sync protocol and the app all exchange these types, so their meaning
(see docs/formats.md) is the contract between the layers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

ResponseKey = Literal["a", "b", "c", "d", "e", "f", "g", "h"]
"""A response's position in the task: always the task's own A/B (..H), never the screen's order.

A pairwise task has "a" and "b"; a ranked task (docs/formats.md) up to eight, "a".."h".
"""

RESPONSE_KEYS: tuple[ResponseKey, ResponseKey] = ("a", "b")
"""The two keys of a pairwise task."""

RANKED_KEYS: tuple[ResponseKey, ...] = ("a", "b", "c", "d", "e", "f", "g", "h")
"""Every key a task may use, in order; a task with n responses uses the first n."""

MAX_RESPONSES = len(RANKED_KEYS)

Ranking = list[list[str]]
"""Tie groups of response keys, best first: ``[["c"], ["a", "d"], ["b"]]`` is C > A = D > B."""


class Language(StrEnum):
    """The languages a task may be written in."""

    PYTHON = "python"
    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"
    JAVA = "java"
    GO = "go"
    RUST = "rust"
    C = "c"
    CPP = "cpp"
    SQL = "sql"
    PHP = "php"


class TestKind(StrEnum):
    """How a task's tests are run (docs/formats.md)."""

    __test__ = False  # not a pytest test class, despite the name

    SCRIPT = "script"
    UNIT = "unit"
    IO = "io"


class TaskType(StrEnum):
    """What the prompt asks for; optional on a task."""

    IMPLEMENT = "implement"
    FIX = "fix"
    REFACTOR = "refactor"
    OPTIMIZE = "optimize"
    EXPLAIN = "explain"
    TEST = "test"
    QUERY = "query"


class Preference(StrEnum):
    """The five-level preference, always in the task's A/B terms."""

    A_MUCH_BETTER = "A>>B"
    A_BETTER = "A>B"
    TIE = "tie"
    B_BETTER = "B>A"
    B_MUCH_BETTER = "B>>A"

    @property
    def ordinal(self) -> int:
        """-2 (A much better) .. +2 (B much better): the order agreement statistics use."""
        return _PREFERENCE_ORDINAL[self]

    @property
    def winner(self) -> Literal["a", "b", "tie"]:
        """Which response is chosen, or tie."""
        value = self.ordinal
        return "a" if value < 0 else "b" if value > 0 else "tie"

    @property
    def strength(self) -> int:
        """0 for a tie, 1 for 'better', 2 for 'much better'."""
        return abs(self.ordinal)

    @classmethod
    def from_ordinal(cls, value: int) -> Preference:
        """The preference whose ordinal is ``value`` (clamped to -2..2)."""
        value = max(-2, min(2, value))
        return next(p for p, o in _PREFERENCE_ORDINAL.items() if o == value)

    def mirrored(self) -> Preference:
        """The same judgement with A and B swapped (screen order to task order)."""
        return Preference.from_ordinal(-self.ordinal)


_PREFERENCE_ORDINAL: dict[Preference, int] = {
    Preference.A_MUCH_BETTER: -2,
    Preference.A_BETTER: -1,
    Preference.TIE: 0,
    Preference.B_BETTER: 1,
    Preference.B_MUCH_BETTER: 2,
}


class AnnotationStatus(StrEnum):
    """Where an annotation is in its life. Drafts autosave; submitted ones count."""

    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    SENT_BACK = "sent_back"


class TaskStatus(StrEnum):
    """A task's state as the queue shows it to one annotator."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    NEEDS_SYNC = "needs_sync"


class Verdict(StrEnum):
    """The outcome of running one response's tests (docs/runners.md)."""

    PASSED = "PASSED"
    FAILED = "FAILED"
    COMPILE_ERROR = "COMPILE_ERROR"
    RUNTIME_ERROR = "RUNTIME_ERROR"
    TIME_LIMIT = "TIME_LIMIT"
    MEMORY_LIMIT = "MEMORY_LIMIT"
    OUTPUT_LIMIT = "OUTPUT_LIMIT"
    NO_TESTS = "NO_TESTS"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    EXITED_EARLY = "EXITED_EARLY"
    """Exit status 0 without proof that the tests ran to their end (docs/runners.md)."""

    @property
    def is_pass(self) -> bool:
        """True only for PASSED."""
        return self is Verdict.PASSED

    @property
    def is_failure(self) -> bool:
        """True when the response demonstrably fails (not for NO_TESTS or our own errors)."""
        return self not in (Verdict.PASSED, Verdict.NO_TESTS, Verdict.INTERNAL_ERROR)


class Severity(StrEnum):
    """A finding's severity, lowest first."""

    INFO = "INFO"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"

    @property
    def rank(self) -> int:
        """0 (INFO) .. 4 (CRITICAL), for sorting and thresholds (looked up: the gutter
        markers rank every comment of a pair on each save)."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(Severity)}


class Confidence(StrEnum):
    """How sure a rule is that a match is a real weakness."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class Role(StrEnum):
    """An account's role on the central server."""

    ADMIN = "admin"
    LEAD = "lead"
    ANNOTATOR = "annotator"
    AUDITOR = "auditor"
    """An audit worker: stores trusted test runs and scans, reads and annotates nothing."""


@dataclass(frozen=True, slots=True)
class IoCase:
    """One stdin/stdout pair of an ``io`` test."""

    stdin: str
    stdout: str


@dataclass(frozen=True, slots=True)
class TestSpec:
    """A task's tests: how to decide whether a response works.

    ``code`` is the test source for ``script`` and ``unit`` kinds. ``cases`` are the
    stdin/stdout pairs of an ``io`` test. For SQL, ``setup`` is the schema and seed
    script and ``expected_rows`` the rows the query must return (``ordered`` says
    whether their order matters). ``timeout_s`` and ``memory_mb`` override the
    runner's configured limits for this task.
    """

    __test__ = False  # not a pytest test class, despite the name

    kind: TestKind
    code: str = ""
    cases: tuple[IoCase, ...] = ()
    entry_point: str | None = None
    compare: str = "exact"
    setup: str | None = None
    expected_rows: tuple[tuple[Any, ...], ...] | None = None
    ordered: bool = False
    timeout_s: float | None = None
    memory_mb: int | None = None


@dataclass(frozen=True, slots=True)
class Response:
    """One AI-written answer to a task's prompt."""

    id: str
    code: str
    model: str | None = None


@dataclass(frozen=True, slots=True)
class Gold:
    """The known answer of a gold task, used to measure annotator accuracy."""

    preference: Preference
    note: str = ""


@dataclass(frozen=True, slots=True)
class Task:
    """A prompt and the responses to compare, with the tests that judge them.

    Two responses make a pairwise task (judged with a preference); three to eight a
    ranked task (judged with a ranking).
    """

    id: str
    language: Language
    prompt: str
    responses: tuple[Response, ...]
    tests: TestSpec | None = None
    task_type: TaskType | None = None
    gold: Gold | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def response(self, key: ResponseKey) -> Response:
        """Response A, B (.. H) in the task's own order."""
        return self.responses[RANKED_KEYS.index(key)]

    @property
    def keys(self) -> tuple[ResponseKey, ...]:
        """The keys of this task's responses: ("a", "b") for a pairwise task."""
        return RANKED_KEYS[: len(self.responses)]

    @property
    def is_ranked(self) -> bool:
        """True for a task of more than two responses, judged with a ranking."""
        return len(self.responses) > 2


Scores = dict[str, dict[str, int]]
"""Per response key ("a", "b"), per rubric dimension, a level on the rubric's scale."""


@dataclass(slots=True)
class Annotation:
    """One annotator's judgement of one task, in the task's A/B terms.

    ``id`` is a client-made UUID and ``revision`` grows by one on every saved change,
    which is what makes sync idempotent: for one id the higher revision wins.
    ``shown_order`` is "ab" when A was shown on the left, "ba" when B was.
    """

    id: str
    task_id: str
    annotator: str
    revision: int = 1
    status: AnnotationStatus = AnnotationStatus.IN_PROGRESS
    preference: Preference | None = None
    scores: Scores = field(default_factory=dict)
    rationale: str = ""
    tags: list[str] = field(default_factory=list)
    time_spent_s: float = 0.0
    shown_order: str = "ab"
    rubric_version: str = ""
    created_at: str = ""
    updated_at: str = ""
    comments: list[LineComment] = field(default_factory=list)
    """Line-level critiques of either response (docs/critiques.md)."""
    ranking: Ranking | None = None
    """A ranked task's judgement (its ``preference`` stays None): tie groups, best first."""


@dataclass(slots=True)
class Adjudication:
    """A lead's final word on a disputed task; it overrides the annotators' consensus."""

    id: str
    task_id: str
    lead: str
    preference: Preference
    scores: Scores = field(default_factory=dict)
    note: str = ""
    created_at: str = ""
    dropped_comments: list[str] = field(default_factory=list)
    """Ids of annotators' line comments the lead dropped; every other comment is kept."""
    ranking: Ranking | None = None
    """A ranked task's final ranking; ``preference`` then says how it orders A and B."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The resources one test run may use."""

    timeout_s: float = 10.0
    memory_mb: int = 512
    cpus: float = 1.0
    pids: int = 128
    output_bytes: int = 1_000_000
    disk_mb: int = 256


@dataclass(slots=True)
class TestRun:
    """The result of running one response's tests once, in one sandbox.

    ``content_hash`` covers (code, tests, image, limits), so an identical run is answered
    from the store instead of being repeated.
    """

    __test__ = False  # not a pytest test class, despite the name

    verdict: Verdict
    content_hash: str = ""
    passed: int = 0
    failed: int = 0
    failing_tests: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    peak_memory_mb: float | None = None
    exit_code: int | None = None
    signal: int | None = None
    stdout: str = ""
    stderr: str = ""
    image: str = ""
    limits: Limits = field(default_factory=Limits)
    isolation: str = ""
    detail: str = ""
    created_at: str = ""
    image_digest: str = ""
    """The engine's digest (image id) of ``image`` where the runner knew it (a cluster
    worker pins and checks it): provenance of the toolchain, not part of the cache key."""


FINDING_SECURITY = "security"
FINDING_TEST_TAMPERING = "test-tampering"
"""A finding's category: a security weakness, or a way to make tests pass without solving
the task (reward hacking). Tampering findings weigh on correctness, not on security."""


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One step of a data-flow finding: where the data came from, went through, ended up.

    ``role`` is ``source``, ``via`` or ``sink``; ``text`` the code on that line, trimmed.
    """

    role: str
    line: int
    text: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One security weakness (or test-tampering trick) a rule found in a response."""

    rule_id: str
    cwe_id: str
    cwe_title: str
    severity: Severity
    start_line: int
    end_line: int
    message: str
    confidence: Confidence = Confidence.MEDIUM
    owasp: str = ""
    fix_hint: str = ""
    source: str = "semgrep"
    category: str = FINDING_SECURITY
    trace: tuple[TraceStep, ...] = ()
    related_cwes: tuple[str, ...] = ()
    """Other CWE ids that describe this same finding accurately at another level of the
    CWE tree (the rule's ``metadata.cwe`` list after the first), e.g. CWE-94 beside CWE-95
    for an eval of data: consumers that group or match by CWE can use either."""


class FindingVerdict(StrEnum):
    """An annotator's verdict on a scanner finding: a real weakness, or a false positive."""

    AGREE = "agree"
    DISPUTE = "dispute"


@dataclass(frozen=True, slots=True)
class LineComment:
    """One annotator's comment on a line range of one response (a line-level critique).

    Lines are 1-based and inclusive, in the response's code exactly as stored (the
    task's code never changes, so the numbers stay valid); ``quote`` holds the text of
    those lines, so a consumer whose copy of the code differs can re-anchor it.
    ``category`` is one of the rubric's critique categories. A comment made from a
    scanner finding carries its ``rule_id`` and the annotator's ``verdict``; a disputed
    finding says the lines are *not* a problem, so critique exports leave it out.
    """

    id: str
    response: ResponseKey
    start_line: int
    end_line: int
    category: str
    severity: Severity
    text: str = ""
    quote: str = ""
    rule_id: str | None = None
    verdict: FindingVerdict | None = None

    @property
    def is_dispute(self) -> bool:
        """True for a finding the annotator called a false positive."""
        return self.verdict is FindingVerdict.DISPUTE

    def covers(self, line: int) -> bool:
        """Whether ``line`` lies in the comment's range."""
        return self.start_line <= line <= self.end_line
