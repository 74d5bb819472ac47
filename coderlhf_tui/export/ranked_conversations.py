"""TRL and OpenRLHF rows of derived pairs, written as JSON text straight from the tasks.

A ranking of n responses yields up to n(n-1)/2 pairs, so every response's code appears in
several rows. Going through Arrow columns (``conversation.conversation_rows``) would copy
and JSON-escape each code once per row it appears in; here each task's prompt and codes
are escaped once (``arrow_json.json_string``, the same escaping) and the rows are joined
from those pieces. The rows are exactly ``conversation_rows``' (same keys in the same
order, same values; tests/ranking compares the two), for the implicit and the explicit
prompt.
"""

from __future__ import annotations

from pathlib import Path

from coderlhf_tui.export.arrow_json import json_string
from coderlhf_tui.export.files import SplitJsonl
from coderlhf_tui.ranking import DerivedPair


def _turn(role: str, content: str) -> str:
    return f'{{"role":"{role}","content":{content}}}'


class ConversationPairFiles:
    """``train.jsonl`` / ``test.jsonl`` of conversational chosen/rejected rows."""

    def __init__(self, folder: Path, explicit_prompt: bool) -> None:
        self.files = SplitJsonl(folder)
        self.explicit_prompt = explicit_prompt
        self._lines: dict[str, list[str]] = {split: [] for split in SplitJsonl.SPLITS}

    def add_task(
        self, task_id: str, prompt: str, codes: dict[str, str], pairs: list[DerivedPair], split: str
    ) -> None:
        """The rows of one task's pairs (``codes`` by response key)."""
        user = _turn("user", json_string(prompt))
        answers = {key: _turn("assistant", json_string(code)) for key, code in codes.items()}
        lines = self._lines[split]
        for pair in pairs:
            chosen, rejected = answers[pair.better], answers[pair.worse]
            row_id = json_string(f"{task_id}:{pair.better}:{pair.worse}")
            margin = f"{float(pair.strength)!r}"
            if self.explicit_prompt:
                lines.append(
                    f'{{"prompt":[{user}],"chosen":[{chosen}],"rejected":[{rejected}],'
                    f'"margin":{margin},"id":{row_id}}}\n'
                )
            else:
                lines.append(
                    f'{{"chosen":[{user},{chosen}],"rejected":[{user},{rejected}],'
                    f'"margin":{margin},"id":{row_id}}}\n'
                )

    def flush(self) -> int:
        """Write the rows gathered so far; how many were written."""
        written = 0
        for split, lines in self._lines.items():
            if lines:
                self.files.write_text(split, "".join(lines).encode("utf-8"), len(lines))
                written += len(lines)
                lines.clear()
        return written

    def commit(self) -> list[Path]:
        """Move the files into place."""
        return self.files.commit()

    def abort(self) -> None:
        """Drop the partial files."""
        self.files.abort()
