"""Kleinberg's burst detection on document counts (Kleinberg 2002, "Bursty and hierarchical structure in
streams", section 4: the batched, two-state automaton CiteSpace uses for burst terms).

Period t holds d_t documents, r_t of which mention the term. In the base state the term is mentioned
at its overall rate p0 = R / D (R = sum of r_t, D = sum of d_t), in the burst state at p1 = s · p0.
A state costs its negative log-likelihood, σ(i, t) = −ln(p_i^r_t · (1 − p_i)^(d_t − r_t)) (the
binomial coefficient is the same in both states and dropped); entering the burst state costs
γ · ln n (n periods), leaving it nothing. The cheapest state sequence (Viterbi; a tie goes to the
base state, so a burst begins with the first period that shows it) marks the bursts, and a burst's
weight is what the burst state saves over its periods: the sum of σ(0, t) − σ(1, t), a
log-likelihood ratio in nats.

>>> burst_states([1, 1, 1, 7], [10, 10, 10, 10])
(0, 0, 0, 1)
>>> [(b.start, b.end, round(b.weight, 3), b.support) for b in bursts([1, 1, 1, 7], [10, 10, 10, 10])]
[(3, 3, 3.636, 7)]
"""

from __future__ import annotations

from dataclasses import dataclass
from math import log, log1p
from typing import Sequence

__all__ = ["S", "GAMMA", "Burst", "state_costs", "burst_states", "bursts", "final_burst"]

S = 2.0  # the burst state's rate as a multiple of the base rate (Kleinberg's s; CiteSpace's default)
GAMMA = 1.0  # the cost of entering the burst state, in units of ln n (Kleinberg's γ; CiteSpace's default)
_P_MAX = 1 - 1e-9  # p1 = s · p0 is held below 1 (a term on most documents cannot burst much)


@dataclass(frozen=True)
class Burst:
    """Periods start..end (indices, inclusive) in the burst state; `weight` the log-likelihood the burst
    state saves over them (nats), `support` the documents mentioning the term in them."""

    start: int
    end: int
    weight: float
    support: int


def _cost(r: int, d: int, p: float) -> float:
    """−ln(p^r · (1 − p)^(d − r)): r of d documents mention the term at rate p."""
    return -((r * log(p) if r else 0.0) + ((d - r) * log1p(-p) if d > r else 0.0))


def state_costs(r: Sequence[int], d: Sequence[int], s: float = S) -> list[tuple[float, float]]:
    """(σ(0, t), σ(1, t)) of every period; a term never mentioned costs nothing in either state."""
    if len(r) != len(d):
        raise ValueError("one count of mentions per count of documents")
    if any(not 0 <= rt <= dt for rt, dt in zip(r, d)):
        raise ValueError("a period cannot have more mentions than documents, or fewer than none")
    total_r, total_d = sum(r), sum(d)
    if not total_r:
        return [(0.0, 0.0) for _ in r]
    p0 = total_r / total_d
    p1 = min(s * p0, _P_MAX)
    return [(_cost(rt, dt, p0), _cost(rt, dt, p1)) for rt, dt in zip(r, d)]


def burst_states(r: Sequence[int], d: Sequence[int], s: float = S, gamma: float = GAMMA) -> tuple[int, ...]:
    """The cheapest state sequence (0 base, 1 burst) of the counts, starting from the base state."""
    costs = state_costs(r, d, s)
    n = len(costs)
    if not n:
        return ()
    up = gamma * log(n)  # the cost of entering the burst state; leaving it is free
    # Viterbi: best[j] = the cheapest cost of a sequence ending in state j; back[t][j] its previous state
    best = (costs[0][0], costs[0][1] + up)
    back: list[tuple[int, int]] = []
    for c0, c1 in costs[1:]:
        from0 = (best[0], best[1])  # into state 0 from 0 or 1 (free)
        from1 = (best[0] + up, best[1])  # into state 1 from 0 (entering) or 1
        prev0 = 0 if from0[0] <= from0[1] else 1
        prev1 = 0 if from1[0] <= from1[1] else 1
        back.append((prev0, prev1))
        best = (from0[prev0] + c0, from1[prev1] + c1)
    state = 0 if best[0] <= best[1] else 1
    states = [state]
    for prev in reversed(back):
        state = prev[state]
        states.append(state)
    return tuple(reversed(states))


def bursts(r: Sequence[int], d: Sequence[int], s: float = S, gamma: float = GAMMA) -> list[Burst]:
    """The bursts of the counts, in time order."""
    costs = state_costs(r, d, s)
    found: list[Burst] = []
    start = None
    states = burst_states(r, d, s, gamma)
    for t, state in enumerate((*states, 0)):
        if state and start is None:
            start = t
        elif not state and start is not None:
            found.append(Burst(start, t - 1, sum(costs[u][0] - costs[u][1] for u in range(start, t)),
                               sum(r[start:t])))
            start = None
    return found


def final_burst(r: Sequence[int], d: Sequence[int], s: float = S, gamma: float = GAMMA) -> Burst | None:
    """The burst still going on in the last period that has documents, if any (periods without
    documents after it tell nothing: a burst is not over because nothing was published since)."""
    last = max((t for t, dt in enumerate(d) if dt), default=-1)
    found = bursts(r, d, s, gamma)
    return found[-1] if found and found[-1].end >= last >= found[-1].start else None
