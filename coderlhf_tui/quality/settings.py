"""Quality thresholds and statistics settings: the ``quality`` section of the user config.

They are applied in the report and the data card, which state them, so a reader sees
under which thresholds an annotator was flagged or a figure called low.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coderlhf_tui.config import ConfigError, config_path, section

if TYPE_CHECKING:  # the statistics import scipy: not for the CLI's start-up
    from coderlhf_tui.quality.agreement import AgreementSettings


@dataclass(frozen=True, slots=True)
class QualitySettings:
    """Every quality knob with its default."""

    bootstrap: int = 1000
    """Bootstrap resamples behind each 95% interval (0: no intervals)."""
    seed: int = 0
    min_shared: int = 10
    """Annotator pairs sharing fewer tasks are not listed on their own (they still pool)."""
    gold_threshold: float = 0.7
    """Annotators whose gold accuracy is below this are flagged."""
    gold_min_tasks: int = 5
    """Gold accuracy is judged only from this many gold tasks on."""
    gold_match: str = "direction"
    """'direction': the same winner (or tie) counts as correct; 'exact': the same level."""
    position_bias_threshold: float = 0.65
    """Annotators who pick one side (left or right) more often than this share are flagged."""
    position_bias_min: int = 20
    """Position bias is judged only from this many non-tie preferences on."""
    kappa_low: float = 0.4
    """Quadratic-weighted kappa below this marks a slice as low agreement."""
    ranking_bootstrap: int = 200
    """Resamples behind the leaderboard's and the ranking agreement's intervals (at most
    ``bootstrap``): each refits every model's strength, so they cost more than the rest."""

    @property
    def agreement(self) -> AgreementSettings:
        """The part the agreement statistics need."""
        from coderlhf_tui.quality.agreement import AgreementSettings

        return AgreementSettings(
            bootstrap=self.bootstrap, seed=self.seed, min_shared=self.min_shared
        )

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain data (for the report and the data card)."""
        return asdict(self)

    @classmethod
    def from_config(cls, path: Path | None = None) -> QualitySettings:
        """The ``quality`` section of the config, defaults for what it leaves out."""
        raw = section("quality", path)
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        where = path or config_path()
        for key, value in raw.items():
            if key not in known:
                raise ConfigError(
                    f"{where}: quality.{key}: unknown setting (known: {sorted(known)})"
                )
            expected = type(getattr(cls(), key))
            fits = isinstance(value, expected) or (expected is float and isinstance(value, int))
            if isinstance(value, bool) or not fits:
                raise ConfigError(f"{where}: quality.{key}: expected {expected.__name__}")
            values[key] = expected(value)
        settings = cls(**values)
        if settings.gold_match not in ("direction", "exact"):
            raise ConfigError(f"{where}: quality.gold_match: expected 'direction' or 'exact'")
        return settings
