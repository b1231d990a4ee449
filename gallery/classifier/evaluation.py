"""Scoring a classifier on labelled images, timed per image (decode included)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from gallery.classifier.classifier import CatClassifier, Prediction, open_image
from gallery.classifier.data import Example
from gallery.classifier.metrics import Metrics, binary_metrics


@dataclass(frozen=True)
class Evaluation:
    metrics: Metrics
    ms_per_image: float
    predictions: tuple[Prediction, ...]
    examples: tuple[Example, ...]

    def summary(self, runtime: str, model_version: str) -> dict[str, object]:
        m = self.metrics
        return {
            "n": m.n,
            "accuracy": round(m.accuracy, 6),
            "precision": round(m.precision, 6),
            "recall": round(m.recall, 6),
            "f1": round(m.f1, 6),
            "threshold": m.threshold,
            "ms_per_image": round(self.ms_per_image, 3),
            "model_version": model_version,
            "runtime": runtime,
        }

    def mistakes(self) -> list[tuple[Example, Prediction]]:
        return [
            (example, prediction)
            for example, prediction in zip(self.examples, self.predictions, strict=True)
            if prediction.is_cat != example.is_cat
        ]


def evaluate(classifier: CatClassifier, examples: Sequence[Example]) -> Evaluation:
    """Classify each image on its own (batch 1): read, decode, resize, run."""
    predictions = []
    elapsed = 0.0
    for example in examples:
        data = example.read()
        start = time.perf_counter()
        predictions.append(classifier.classify(open_image(data)))
        elapsed += time.perf_counter() - start
    metrics = binary_metrics(
        [example.is_cat for example in examples],
        [prediction.score for prediction in predictions],
        classifier.threshold,
    )
    return Evaluation(
        metrics=metrics,
        ms_per_image=1000 * elapsed / max(len(examples), 1),
        predictions=tuple(predictions),
        examples=tuple(examples),
    )
