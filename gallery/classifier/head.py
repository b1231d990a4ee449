"""The cat head: logistic regression on MobileNetV2's pooled features (numpy only).

Fitted by Newton's method (iteratively reweighted least squares) with an L2 penalty on
standardised features; the standardisation is then folded into the weights, so the
head is one dense unit, ``sigmoid(features @ kernel + bias)``, the same in numpy, in
Keras and in the TFLite model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gallery.classifier.errors import ModelFileError


def sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -60, 60)))


@dataclass(frozen=True)
class Head:
    kernel: np.ndarray  # (features,)
    bias: float

    def logits(self, features: np.ndarray) -> np.ndarray:
        return features.astype(np.float64) @ self.kernel.astype(np.float64) + self.bias

    def predict(self, features: np.ndarray) -> np.ndarray:
        return sigmoid(self.logits(features))

    def save(self, path: Path) -> None:
        with path.open("wb") as file:
            np.savez(
                file,
                kernel=self.kernel.astype(np.float32),
                bias=np.array([self.bias], np.float32),
            )

    @classmethod
    def load(cls, path: Path) -> Head:
        try:
            with np.load(path) as data:
                kernel = np.asarray(data["kernel"], np.float32).reshape(-1)
                bias = float(np.asarray(data["bias"]).reshape(-1)[0])
        except FileNotFoundError:
            raise ModelFileError(path, "is missing") from None
        except (OSError, ValueError, KeyError, IndexError) as error:
            raise ModelFileError(path, f"is not a cat head ({error})") from None
        return cls(kernel, bias)


def fit_head(
    features: np.ndarray,
    labels: np.ndarray,
    *,
    l2_per_example: float = 0.007,
    max_steps: int = 25,
    tolerance: float = 1e-6,
) -> tuple[Head, int]:
    """Logistic regression with an L2 penalty of ``l2_per_example * n`` on the
    standardised weights. Returns the head and the Newton steps taken (each one pass
    over the data; it usually converges in under 15)."""
    x = features.astype(np.float64)
    y = labels.astype(np.float64)
    mean = x.mean(axis=0)
    std = x.std(axis=0) + 1e-6
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    penalty = np.full(z.shape[1], l2_per_example * len(x))
    penalty[-1] = 0.0  # the bias is not penalised
    weights = np.zeros(z.shape[1])
    steps = 0
    for steps in range(1, max_steps + 1):  # noqa: B007 - steps is returned
        p = sigmoid(z @ weights)
        gradient = z.T @ (p - y) + penalty * weights
        hessian = (z * (p * (1 - p) + 1e-9)[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < tolerance:
            break
    kernel = weights[:-1] / std
    bias = float(weights[-1] - np.sum(weights[:-1] * mean / std))
    return Head(kernel.astype(np.float32), bias), steps
