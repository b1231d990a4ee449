"""The classifier: PIL images in, `Prediction`s out."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from gallery.classifier.errors import UnreadableImageError
from gallery.classifier.preprocessing import Preprocessing, prepare
from gallery.classifier.runtimes import Runtime, make_runtime
from gallery.classifier.store import ModelInfo, ModelStore, read_labels

CAT = "cat"
NOT_CAT = "not_cat"
TOP_CLASSES = 5

# Everything Pillow raises for a file it cannot decode: unknown format
# (UnidentifiedImageError is an OSError), truncated data, broken headers.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, Image.DecompressionBombError)


@dataclass(frozen=True)
class Prediction:
    """The classifier's verdict on one image."""

    label: str  # "cat" or "not_cat"
    score: float  # probability of "cat"
    threshold: float  # score >= threshold means "cat"
    model_version: str
    top_classes: tuple[tuple[str, float], ...]  # ImageNet classes, most likely first

    @property
    def is_cat(self) -> bool:
        return self.label == CAT


def open_image(data: bytes | Path) -> Image.Image:
    """Open image bytes or a file lazily (decoding happens in `prepare`)."""
    try:
        if isinstance(data, Path):
            return Image.open(data)
        return Image.open(io.BytesIO(data))
    except DECODE_ERRORS as error:
        raise UnreadableImageError(f"not an image Pillow can read ({error})") from error


class CatClassifier:
    """A model version run by one runtime."""

    def __init__(
        self, model: ModelInfo, runtime: Runtime, class_names: Sequence[str]
    ) -> None:
        self.model = model
        self.runtime = runtime
        self.class_names = list(class_names)
        self.threshold = model.threshold
        self.preprocessing = Preprocessing.from_dict(model.card["preprocessing"])

    @property
    def version(self) -> str:
        return self.model.version

    def prepare(self, image: Image.Image) -> np.ndarray:
        """The model input for one image; UnreadableImageError if it won't decode."""
        try:
            return prepare(image, self.preprocessing)
        except DECODE_ERRORS as error:
            raise UnreadableImageError(
                f"the image cannot be decoded ({error})"
            ) from error

    def classify(self, image: Image.Image) -> Prediction:
        return self.predict_prepared(self.prepare(image)[None])[0]

    def classify_many(self, images: Sequence[Image.Image]) -> list[Prediction]:
        if not images:
            return []
        return self.predict_prepared(
            np.stack([self.prepare(image) for image in images])
        )

    def predict_prepared(self, batch: np.ndarray) -> list[Prediction]:
        imagenet, cat = self.runtime.run(batch)
        predictions = []
        for probabilities, score in zip(imagenet, cat, strict=True):
            top = np.argsort(-probabilities)[:TOP_CLASSES]
            score = float(score)
            predictions.append(
                Prediction(
                    label=CAT if score >= self.threshold else NOT_CAT,
                    score=round(score, 6),
                    threshold=self.threshold,
                    model_version=self.version,
                    top_classes=tuple(
                        (self.class_names[i], round(float(probabilities[i]), 6))
                        for i in top
                    ),
                )
            )
        return predictions


def load_classifier(
    version: str = "",
    *,
    runtime: str = "litert",
    model_dir: Path | None = None,
    weights: Path | None = None,
    num_threads: int | None = None,
) -> CatClassifier:
    """The classifier for ``version`` (default: the active one) found in ``model_dir``
    or the shipped models, run by ``runtime``. Raises ModelFileError, naming the file,
    if a model file or the base weights are missing or wrong."""
    model = ModelStore(model_dir).active(version)
    return CatClassifier(
        model,
        make_runtime(runtime, model, weights=weights, num_threads=num_threads),
        read_labels(),
    )
