"""Binary metrics and the choice of threshold (plain numpy)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Metrics:
    n: int
    accuracy: float
    precision: float
    recall: float
    f1: float
    threshold: float
    true_positives: int
    false_positives: int
    true_negatives: int
    false_negatives: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def binary_metrics(
    labels: Sequence[bool] | np.ndarray,
    scores: Sequence[float] | np.ndarray,
    threshold: float,
) -> Metrics:
    """Metrics of "cat" (the positive class) when ``score >= threshold``."""
    truth = np.asarray(labels, dtype=bool)
    predicted = np.asarray(scores, dtype=np.float64) >= threshold
    tp = int(np.sum(predicted & truth))
    fp = int(np.sum(predicted & ~truth))
    fn = int(np.sum(~predicted & truth))
    tn = int(np.sum(~predicted & ~truth))
    n = len(truth)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(
        n=n,
        accuracy=(tp + tn) / n if n else 0.0,
        precision=precision,
        recall=recall,
        f1=f1,
        threshold=threshold,
        true_positives=tp,
        false_positives=fp,
        true_negatives=tn,
        false_negatives=fn,
    )


def _logit(p: float) -> float:
    p = min(max(p, 1e-7), 1 - 1e-7)
    return math.log(p / (1 - p))


def _probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit))


def choose_threshold(
    labels: Sequence[bool] | np.ndarray, scores: Sequence[float] | np.ndarray
) -> float:
    """The threshold with the best F1 on these (validation) scores.

    Every threshold between two neighbouring scores gives the same F1, so the best
    ones form ranges. Take the range nearest to 0.5 (the head's own decision point);
    0.5 itself if it lies inside, else the middle of the range in logit space, as far
    as possible from the examples on either side.
    """
    truth = np.asarray(labels, dtype=bool)
    values = np.asarray(scores, dtype=np.float64)
    if not truth.any() or truth.all():
        raise ValueError("choosing a threshold needs both cats and not-cats")
    edges = np.unique(np.clip(values, 1e-7, 1 - 1e-7))
    logits = [_logit(float(edge)) for edge in edges]
    # Candidate ranges: below the lowest score, between neighbours, above the highest.
    bounds = [(logits[0] - 4.0, logits[0])]
    bounds += list(zip(logits[:-1], logits[1:], strict=True))
    bounds += [(logits[-1], logits[-1] + 4.0)]
    scored = []
    for low, high in bounds:
        f1 = binary_metrics(truth, values, _probability((low + high) / 2)).f1
        scored.append((f1, low, high))
    best = max(f1 for f1, _, _ in scored)
    # Merge neighbouring best ranges, then take the one nearest to logit 0.
    ranges: list[list[float]] = []
    for f1, low, high in scored:
        if f1 < best - 1e-12:
            continue
        if ranges and math.isclose(ranges[-1][1], low):
            ranges[-1][1] = high
        else:
            ranges.append([low, high])

    def distance(bound: list[float]) -> float:
        low, high = bound
        return 0.0 if low <= 0.0 <= high else min(abs(low), abs(high))

    low, high = min(ranges, key=distance)
    if low <= 0.0 <= high:
        return 0.5
    return round(_probability((low + high) / 2), 6)
