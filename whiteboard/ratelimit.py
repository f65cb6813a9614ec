"""Token buckets for per-connection limits. Pure: the caller passes the clock."""

from __future__ import annotations


class TokenBucket:
    """`rate` tokens a second, holding at most `burst`; `take` spends `cost` (one by default) if it can."""

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.updated = now

    def take(self, now: float, cost: float = 1) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        return False
