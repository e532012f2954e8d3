"""Interleaved rounds and their summary: medians with min-max, paired with raw httpx per round.

Every round runs each contender once, in an order that rotates from round to round, so drift of
a loaded machine (other processes, CPU frequency) lands on all of them alike. The difference and
ratio to the baseline are taken within each round, then summarised over the rounds.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Spread", "interleave", "paired", "spread"]


@dataclass(frozen=True, slots=True)
class Spread:
    """The median of some rounds and their range."""

    median: float
    low: float
    high: float

    def show(self, fmt: str = "{:.1f}", unit: str = "") -> str:
        """`12.3 (11.9 to 13.0) us`: the median, then the range over the rounds."""
        median, low, high = (fmt.format(v) for v in (self.median, self.low, self.high))
        return f"{median}{unit} ({low} to {high})"


def spread(values: Sequence[float]) -> Spread:
    """Median, min and max of the rounds."""
    return Spread(statistics.median(values), min(values), max(values))


def interleave(
    contenders: Mapping[str, Callable[[], float]], rounds: int
) -> dict[str, list[float]]:
    """Run every contender once per round, rotating the order; each returns one measurement."""
    names = list(contenders)
    results: dict[str, list[float]] = {name: [] for name in names}
    for number in range(rounds):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            results[name].append(contenders[name]())
    return results


def paired(
    results: Mapping[str, Sequence[float]], baseline: str, name: str
) -> tuple[Spread, Spread]:
    """The per-round difference and ratio of `name` over `baseline`."""
    pairs = list(zip(results[name], results[baseline], strict=True))
    return spread([ours - base for ours, base in pairs]), spread(
        [ours / base for ours, base in pairs]
    )
