"""The sync protocol's wire shapes (version 1), validated with bounds on every field.

These models are what the OpenAPI spec publishes and what the server checks before any
of it reaches the database: an oversized, mistyped or unknown field is a 422 naming the
field, never a 500. Annotations and adjudications keep the docs/formats.md shape; evidence
(test runs and findings) rides along, keyed by content hash.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from coderlhf_tui.domain import AnnotationStatus, FindingVerdict, Preference, Severity

PROTOCOL_VERSION = 1
MAX_BATCH = 500
MAX_EVIDENCE = 1000
MAX_PULL = 1000


def _storable(value: str) -> str:
    """Refuse text a database cannot store: NUL and lone surrogates (not UTF-8)."""
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("not valid Unicode text") from exc
    return value


Clean = AfterValidator(_storable)
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
TaskId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$"), Clean]
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
Stamp = Annotated[str, Field(max_length=40, pattern=r"^[0-9A-Za-z:.+-]*$")]
Level = Annotated[int, Field(ge=-1000, le=1000)]
Dimensions = Annotated[dict[Annotated[str, Field(max_length=64)], Level], Field(max_length=32)]
Key = Literal["a", "b", "c", "d", "e", "f", "g", "h"]
"""A response key: "a"/"b" for a pairwise task, up to "h" for a ranked one."""
Scores = Annotated[dict[Key, Dimensions], Field(max_length=8)]
RankingIn = Annotated[
    list[Annotated[list[Key], Field(min_length=1, max_length=8)]], Field(min_length=1, max_length=8)
]
"""A ranked task's ranking: tie groups of response keys, best first (docs/formats.md)."""
ShownOrder = Annotated[str, Field(pattern=r"^(ab|ba|[a-h]{3,8})$")]
Text = Annotated[str, Field(max_length=100_000), Clean]
Tag = Annotated[str, Field(max_length=64), Clean]
Hash = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9:_-]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LineCommentIn(_Strict):
    """One line comment inside an annotation (docs/formats.md, "Line comments")."""

    id: Annotated[str, Field(min_length=1, max_length=64), Clean]
    response: Key
    start_line: Annotated[int, Field(ge=1, le=1_000_000)]
    end_line: Annotated[int, Field(ge=1, le=1_000_000)]
    category: Annotated[str, Field(min_length=1, max_length=64), Clean]
    severity: Severity
    text: Text = ""
    quote: Text = ""
    rule_id: Annotated[str, Field(max_length=200), Clean] | None = None
    verdict: FindingVerdict | None = None


class AnnotationIn(_Strict):
    """One annotation revision, exactly the docs/formats.md shape."""

    id: Id
    task_id: TaskId
    annotator: Name
    revision: Annotated[int, Field(ge=1, le=2_000_000_000)]
    status: AnnotationStatus = AnnotationStatus.IN_PROGRESS
    preference: Preference | None = None
    scores: Scores = Field(default_factory=dict)
    rationale: Text = ""
    tags: Annotated[list[Annotated[str, Field(max_length=64), Clean]], Field(max_length=100)] = (
        Field(default_factory=list)
    )
    time_spent_s: Annotated[float, Field(ge=0, le=10_000_000, allow_inf_nan=False)] = 0.0
    shown_order: ShownOrder = "ab"
    rubric_version: Annotated[str, Field(max_length=64), Clean] = ""
    created_at: Stamp = ""
    updated_at: Stamp = ""
    comments: Annotated[list[LineCommentIn], Field(max_length=1000)] = Field(default_factory=list)
    ranking: RankingIn | None = None


class AdjudicationIn(_Strict):
    """A lead's decision on a task."""

    id: Id
    task_id: TaskId
    lead: Name
    preference: Preference
    scores: Scores = Field(default_factory=dict)
    note: Text = ""
    created_at: Stamp = ""
    dropped_comments: Annotated[
        list[Annotated[str, Field(max_length=64)]], Field(max_length=1000)
    ] = Field(default_factory=list)
    ranking: RankingIn | None = None


class EvidenceIn(_Strict):
    """The latest test run or scan of one response, as its producer saw it.

    ``test_run`` is a docs/formats.md test run (its ``content_hash`` must equal ``hash``);
    ``findings`` is a scan's finding list, hashed by ``evidence_items.findings_hash``.
    The producer is never part of the item: the server records the authenticated caller
    (docs/server.md, "Evidence and its producers").
    """

    task_id: TaskId
    response_key: Key
    kind: Literal["test_run", "findings"]
    hash: Hash
    test_run: dict[str, Any] | None = None
    findings: Annotated[list[dict[str, Any]], Field(max_length=1000)] | None = None


class PushRequest(_Strict):
    """One batch of local changes; replaying it changes nothing."""

    annotations: Annotated[list[AnnotationIn], Field(max_length=MAX_BATCH)] = Field(
        default_factory=list
    )
    adjudications: Annotated[list[AdjudicationIn], Field(max_length=MAX_BATCH)] = Field(
        default_factory=list
    )
    evidence: Annotated[list[EvidenceIn], Field(max_length=MAX_EVIDENCE)] = Field(
        default_factory=list
    )


Outcome = Literal["applied", "duplicate", "stale", "conflict"]


class ItemResult(BaseModel):
    """What the server did with one pushed item.

    applied: stored as the newest revision; duplicate: the server already had this
    revision; stale: the server has a higher one (pull brings it); conflict: the
    annotator already has another annotation of this task (``detail`` names it).
    All four are final: the client may forget the item.
    """

    kind: Literal["annotation", "adjudication"]
    id: str
    outcome: Outcome
    server_revision: int
    detail: str = ""


class PushResponse(BaseModel):
    """The per-item results of a push, in request order."""

    results: list[ItemResult]
    evidence_stored: int
    cursor: int


class PullResponse(BaseModel):
    """Changes after the caller's cursor that the caller may see, oldest first."""

    cursor: int
    more: bool
    tasks: list[dict[str, Any]]
    annotations: list[dict[str, Any]]
    adjudications: list[dict[str, Any]]
    evidence: list[dict[str, Any]]


class TrustedEvidenceRequest(_Strict):
    """An audit's results, stored as trusted evidence (admins and audit workers only)."""

    evidence: Annotated[list[EvidenceIn], Field(min_length=1, max_length=MAX_EVIDENCE)]


class TrustedEvidenceOut(BaseModel):
    """How many evidence records the audit added or changed (0 for a replay)."""

    stored: int


class AuditTasksOut(BaseModel):
    """A page of tasks for an audit (without gold answers); pass ``after`` back for the next."""

    tasks: list[dict[str, Any]]
    after: int
    more: bool


class ProducedEvidence(BaseModel):
    """One producer's latest evidence for one response, as a lead reviews it."""

    response_key: str
    kind: str
    hash: str
    producer: str
    trusted: bool
    body: Any


class AccountOut(BaseModel):
    """A user as the API shows them (never a token)."""

    name: str
    role: str
    languages: list[str]
    years: int | None


class NewUser(_Strict):
    """An admin's request to add a user."""

    name: Name
    role: Literal["admin", "lead", "annotator", "auditor"]
    languages: Annotated[list[Annotated[str, Field(max_length=32)]], Field(max_length=20)] = Field(
        default_factory=list
    )
    years: Annotated[int, Field(ge=0, le=80)] | None = None
    expires_days: Annotated[float, Field(gt=0, le=3650)] | None = None


class NewUserOut(BaseModel):
    """The new account and its token, shown this once."""

    user: AccountOut
    token: str


class AssignRequest(_Strict):
    """How to hand out tasks: k annotators per task, a share of gold tasks."""

    k: Annotated[int, Field(ge=1, le=20)] = 2
    gold_rate: Annotated[float, Field(ge=0, le=0.9)] = 0.1


class AssignOut(BaseModel):
    """How many assignments were made, per annotator."""

    assigned: int
    gold: int
    per_annotator: dict[str, int]


class ImportOut(BaseModel):
    """What an admin import did; with any error nothing is stored."""

    imported: int
    skipped_existing: int
    errors: list[str]
