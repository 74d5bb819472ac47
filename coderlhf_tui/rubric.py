"""The rubric: dimensions with anchored levels, the preference scale, tags, style guides.

The rubric is data (rubric.yaml) so a team can sharpen its anchors without a release.
It is validated on load, and a malformed file is rejected with a message naming the key
(``rubric.yaml: dimensions.security.levels.3: expected a string``), because a rubric that
silently loses an anchor produces inconsistent labels for weeks before anyone notices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from coderlhf_tui.domain import RANKED_KEYS, RESPONSE_KEYS, Annotation, Language, Preference

DIMENSION_NAMES = ("correctness", "security", "readability", "efficiency", "style")
"""The five dimensions every rubric must define (more may be added)."""

TOP_LEVEL_KEYS = {
    "version",
    "scale",
    "dimensions",
    "preferences",
    "tags",
    "style_guides",
    "rationale",
    "blind",
    "signals",
    "critique",
}

DEFAULT_COMMENT_CATEGORIES: dict[str, str] = {
    "correctness_bug": "The lines give a wrong result or do something other than asked.",
    "edge_case": "The lines mishandle an input at a boundary.",
    "security": "The lines open an exploitable weakness.",
    "performance": "The lines waste time or memory the task does not need.",
    "readability": "The lines are hard to follow.",
    "style": "The lines break the language's idioms or its style guide.",
    "test_tampering": "The lines game the tests instead of solving the task.",
}
"""Line-comment categories when a rubric has no ``critique`` section (docs/critiques.md)."""


class RubricError(ValueError):
    """The rubric file is malformed; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Dimension:
    """One scored dimension with an anchor text for every level of the scale."""

    name: str
    description: str
    anchors: dict[int, str]

    def anchor(self, level: int) -> str:
        """The anchor text of ``level`` ('' when out of range)."""
        return self.anchors.get(level, "")


@dataclass(frozen=True, slots=True)
class PreferenceLevel:
    """One step of the five-level preference scale."""

    preference: Preference
    label: str
    strength: int
    description: str


@dataclass(frozen=True, slots=True)
class Rubric:
    """A validated rubric."""

    version: str
    scale_min: int
    scale_max: int
    dimensions: tuple[Dimension, ...]
    preferences: tuple[PreferenceLevel, ...]
    tags: dict[str, str]
    style_guides: dict[str, list[str]]
    rationale_required: bool
    rationale_min_length: int
    show_model_names: bool = False
    signals: dict[str, Any] = field(default_factory=dict)
    source: str = "rubric.yaml"
    comment_categories: dict[str, str] = field(
        default_factory=lambda: dict(DEFAULT_COMMENT_CATEGORIES)
    )
    """Line-comment categories, in rubric order, with their descriptions."""
    finding_category: str = "security"
    """The category an accepted scanner finding's comment gets."""

    @property
    def dimension_names(self) -> list[str]:
        """Dimension names in rubric order."""
        return [d.name for d in self.dimensions]

    @property
    def levels(self) -> range:
        """The valid score levels."""
        return range(self.scale_min, self.scale_max + 1)

    def dimension(self, name: str) -> Dimension:
        """The dimension called ``name``; KeyError when unknown."""
        for dimension in self.dimensions:
            if dimension.name == name:
                return dimension
        raise KeyError(name)

    def preference_level(self, preference: Preference) -> PreferenceLevel:
        """The rubric's wording for one preference."""
        return next(p for p in self.preferences if p.preference is preference)

    def annotation_problems(self, annotation: Annotation, *, for_submit: bool) -> list[str]:
        """What keeps this annotation from being valid under the rubric.

        Drafts may be incomplete, but what they hold must be valid; a submitted
        annotation needs a preference, every score and a long enough rationale.
        """
        problems: list[str] = []
        names = set(self.dimension_names)
        keys = judged_keys(annotation)
        allowed = RESPONSE_KEYS if annotation.ranking is None else RANKED_KEYS
        for key, dims in annotation.scores.items():
            if key not in allowed:
                problems.append(f"scores: unknown response {key!r} (use {' or '.join(keys)})")
                continue
            for dim, level in dims.items():
                if dim not in names:
                    problems.append(f"scores.{key}.{dim}: unknown dimension")
                elif level not in self.levels:
                    problems.append(
                        f"scores.{key}.{dim}: {level} is outside {self.scale_min}..{self.scale_max}"
                    )
        problems.extend(
            f"tags: unknown tag {tag!r}" for tag in annotation.tags if tag not in self.tags
        )
        problems.extend(self.comment_problems(annotation))
        if not for_submit:
            return problems
        if annotation.preference is None and annotation.ranking is None:
            problems.append("preference: required")
        for key in keys:
            missing = [d for d in self.dimension_names if d not in annotation.scores.get(key, {})]
            if missing:
                problems.append(f"scores.{key}: missing {', '.join(missing)}")
        if self.rationale_required:
            length = len(annotation.rationale.strip())
            if length < self.rationale_min_length:
                problems.append(
                    f"rationale: {length} characters, at least {self.rationale_min_length} needed"
                )
        return problems

    def comment_problems(self, annotation: Annotation) -> list[str]:
        """What is wrong with the annotation's line comments (categories, ranges, ids)."""
        problems: list[str] = []
        seen: set[str] = set()
        for index, comment in enumerate(annotation.comments):
            where = f"comments[{index}]"
            if comment.id in seen:
                problems.append(f"{where}.id: duplicate comment id {comment.id!r}")
            seen.add(comment.id)
            if comment.category not in self.comment_categories:
                known = ", ".join(self.comment_categories)
                problems.append(
                    f"{where}.category: unknown category {comment.category!r} (expected one of"
                    f" {known})"
                )
            if comment.start_line < 1 or comment.end_line < comment.start_line:
                problems.append(
                    f"{where}.start_line: lines {comment.start_line}..{comment.end_line} are not"
                    " a range (1 <= start_line <= end_line)"
                )
        return problems


def judged_keys(annotation: Annotation) -> tuple[str, ...]:
    """The responses an annotation scores: A and B, or every response its ranking ranks."""
    if annotation.ranking is None:
        return RESPONSE_KEYS
    return tuple(sorted(key for group in annotation.ranking for key in group))


def default_rubric_text() -> str:
    """The rubric shipped inside the package."""
    return resources.files("coderlhf_tui").joinpath("rubric.yaml").read_text(encoding="utf-8")


def load_rubric(path: Path | None = None) -> Rubric:
    """Load and validate a rubric file, or the bundled default when ``path`` is None."""
    if path is None:
        return parse_rubric(default_rubric_text(), "rubric.yaml (bundled)")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RubricError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise RubricError(f"{path}: not valid UTF-8") from exc
    return parse_rubric(text, str(path))


def parse_rubric(text: str, source: str) -> Rubric:
    """Validate rubric YAML text; ``source`` names it in error messages."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RubricError(f"{source}: not valid YAML: {exc}") from exc
    return _Parser(source).rubric(data)


class _Parser:
    """Walks the YAML tree, keeping the key path for error messages."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, message: str) -> RubricError:
        return RubricError(f"{self.source}: {key}: {message}")

    def mapping(self, value: Any, key: str) -> dict[Any, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, "expected a mapping")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "expected a non-empty string")
        return value

    def integer(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "expected an integer")
        return value

    def rubric(self, data: Any) -> Rubric:
        if data is None:
            raise RubricError(f"{self.source}: the file is empty")
        data = self.mapping(data, "(top level)")
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                raise self.fail(str(key), f"unknown key (expected one of {sorted(TOP_LEVEL_KEYS)})")
        for key in ("version", "dimensions", "preferences", "tags", "rationale"):
            if key not in data:
                raise self.fail(key, "required key missing")
        version = data["version"]
        if isinstance(version, int | float) and not isinstance(version, bool):
            version = str(version)
        version = self.text(version, "version")
        scale = self.mapping(data.get("scale", {"min": 1, "max": 5}), "scale")
        low = self.integer(scale.get("min", 1), "scale.min")
        high = self.integer(scale.get("max", 5), "scale.max")
        if high <= low:
            raise self.fail("scale", "max must be greater than min")
        dimensions = self.dimensions(data["dimensions"], range(low, high + 1))
        rationale = self.mapping(data["rationale"], "rationale")
        required = rationale.get("required", True)
        if not isinstance(required, bool):
            raise self.fail("rationale.required", "expected true or false")
        min_length = self.integer(rationale.get("min_length", 0), "rationale.min_length")
        if min_length < 0:
            raise self.fail("rationale.min_length", "must not be negative")
        blind = self.mapping(data.get("blind", {}), "blind")
        show_models = blind.get("show_model_names", False)
        if not isinstance(show_models, bool):
            raise self.fail("blind.show_model_names", "expected true or false")
        return Rubric(
            version=version,
            scale_min=low,
            scale_max=high,
            dimensions=dimensions,
            preferences=self.preferences(data["preferences"]),
            tags=self.tags(data["tags"]),
            style_guides=self.style_guides(data.get("style_guides", {})),
            rationale_required=required,
            rationale_min_length=min_length,
            show_model_names=show_models,
            signals=self.mapping(data.get("signals", {}), "signals"),
            source=self.source,
            **self.critique(data.get("critique", {})),
        )

    def critique(self, value: Any) -> dict[str, Any]:
        """The ``critique`` section: comment categories and the accepted-finding category."""
        value = self.mapping(value, "critique")
        for extra in set(value) - {"categories", "finding_category"}:
            raise self.fail(
                f"critique.{extra}", "unknown key (expected categories, finding_category)"
            )
        categories = dict(DEFAULT_COMMENT_CATEGORIES)
        if "categories" in value:
            raw = self.mapping(value["categories"], "critique.categories")
            if not raw:
                raise self.fail("critique.categories", "at least one category is needed")
            categories = {}
            for name, description in raw.items():
                if not isinstance(name, str) or not name.replace("_", "").isalnum():
                    raise self.fail(
                        f"critique.categories.{name}", "category names are letters, digits and _"
                    )
                categories[name] = self.text(description, f"critique.categories.{name}")
        finding = value.get("finding_category", "security")
        if finding not in categories:
            raise self.fail(
                "critique.finding_category", f"{finding!r} is not one of the categories above"
            )
        return {"comment_categories": categories, "finding_category": finding}

    def dimensions(self, value: Any, levels: range) -> tuple[Dimension, ...]:
        value = self.mapping(value, "dimensions")
        missing = [name for name in DIMENSION_NAMES if name not in value]
        if missing:
            raise self.fail("dimensions", f"missing {', '.join(missing)}")
        out = []
        for name, body in value.items():
            key = f"dimensions.{name}"
            body = self.mapping(body, key)
            for extra in set(body) - {"description", "levels"}:
                raise self.fail(f"{key}.{extra}", "unknown key (expected description, levels)")
            description = self.text(body.get("description"), f"{key}.description")
            anchors_raw = self.mapping(body.get("levels"), f"{key}.levels")
            anchors: dict[int, str] = {}
            for level in levels:
                if level not in anchors_raw:
                    raise self.fail(f"{key}.levels.{level}", "anchor text missing")
                anchors[level] = self.text(anchors_raw[level], f"{key}.levels.{level}")
            for level in anchors_raw:
                if level not in levels:
                    raise self.fail(f"{key}.levels.{level}", "outside the scale")
            out.append(Dimension(str(name), description, anchors))
        return tuple(out)

    def preferences(self, value: Any) -> tuple[PreferenceLevel, ...]:
        value = self.mapping(value, "preferences")
        out = []
        for preference in Preference:
            key = f"preferences.{preference.value}"
            if preference.value not in value:
                raise self.fail(key, "missing")
            body = self.mapping(value[preference.value], key)
            strength = self.integer(body.get("strength", preference.strength), f"{key}.strength")
            if strength != preference.strength:
                raise self.fail(f"{key}.strength", f"must be {preference.strength}")
            out.append(
                PreferenceLevel(
                    preference,
                    self.text(body.get("label"), f"{key}.label"),
                    strength,
                    self.text(body.get("description"), f"{key}.description"),
                )
            )
        for name in value:
            if name not in {p.value for p in Preference}:
                raise self.fail(f"preferences.{name}", "unknown preference level")
        return tuple(out)

    def tags(self, value: Any) -> dict[str, str]:
        value = self.mapping(value, "tags")
        out = {}
        for name, description in value.items():
            if not isinstance(name, str) or not name.replace("_", "").isalnum():
                raise self.fail(f"tags.{name}", "tag names are letters, digits and _")
            out[name] = self.text(description, f"tags.{name}")
        return out

    def style_guides(self, value: Any) -> dict[str, list[str]]:
        value = self.mapping(value, "style_guides")
        out: dict[str, list[str]] = {}
        for language, guides in value.items():
            key = f"style_guides.{language}"
            if language not in {lang.value for lang in Language}:
                raise self.fail(key, "unknown language")
            if isinstance(guides, str):
                guides = [guides]
            if not isinstance(guides, list) or not guides:
                raise self.fail(key, "expected a list of guide names")
            out[language] = [self.text(g, f"{key}[{i}]") for i, g in enumerate(guides)]
        return out
