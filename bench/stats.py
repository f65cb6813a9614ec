"""Latency summaries, so every phase reports the same figures the same way."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(ordered: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted, non-empty sequence."""
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """Count, mean and p50/p95/p99/max in milliseconds; None figures when nothing was measured."""
    if not seconds:
        return {"count": 0, "mean": None, "p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(seconds)
    ms = 1000.0
    return {
        "count": len(ordered),
        "mean": round(sum(ordered) / len(ordered) * ms, 3),
        "p50": round(percentile(ordered, 50) * ms, 3),
        "p95": round(percentile(ordered, 95) * ms, 3),
        "p99": round(percentile(ordered, 99) * ms, 3),
        "max": round(ordered[-1] * ms, 3),
    }
