"""The cat classifier: plain typed Python, no Django or Wagtail.

It takes PIL images and returns `Prediction`s (label "cat" or "not_cat", the
probability of a cat, the threshold, the model version and the likeliest ImageNet
classes). A model version runs under LiteRT (the default, `ai-edge-litert`) or Keras
(TensorFlow, loaded only when that runtime is asked for). `gallery.labelling` is the
only bridge to the site's models.
"""

from gallery.classifier.classifier import (
    CAT,
    NOT_CAT,
    CatClassifier,
    Prediction,
    load_classifier,
    open_image,
)
from gallery.classifier.errors import (
    ClassifierError,
    ModelFileError,
    UnreadableImageError,
)
from gallery.classifier.runtimes import RUNTIMES
from gallery.classifier.store import ModelInfo, ModelStore

__all__ = [
    "CAT",
    "NOT_CAT",
    "RUNTIMES",
    "CatClassifier",
    "ClassifierError",
    "ModelFileError",
    "ModelInfo",
    "ModelStore",
    "Prediction",
    "UnreadableImageError",
    "load_classifier",
    "open_image",
]
