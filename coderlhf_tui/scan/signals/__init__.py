"""Automatic per-dimension signals: measured evidence for the five rubric dimensions.

They inform the engineer and never replace the human scores. Each signal is a score in
0..1 (higher is better), the matching level on the rubric's scale, and the inputs it came
from, so a reader can check it. The formulas are in docs/signals.md; the weights live in
rubric.yaml under ``signals:``.
"""

from coderlhf_tui.scan.signals.compute import DIMENSIONS, Signal, pair_signals
from coderlhf_tui.scan.signals.weights import SignalWeights, SignalWeightsError

__all__ = ["DIMENSIONS", "Signal", "SignalWeights", "SignalWeightsError", "pair_signals"]
