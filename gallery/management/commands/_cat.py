"""What the cat-model commands share: settings turned into plain arguments."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from gallery.classifier import ModelStore


def model_store() -> ModelStore:
    return ModelStore(Path(settings.CAT_MODEL_DIR))


def base_weights(option: Path | None, *, download: bool) -> Path:
    """--weights, else CAT_MODEL_WEIGHTS, else (training only) Keras' standard
    ImageNet weights."""
    if option:
        path = option
    elif settings.CAT_MODEL_WEIGHTS:
        path = Path(settings.CAT_MODEL_WEIGHTS)
    elif download:
        from gallery.classifier.keras_model import standard_weights

        return standard_weights()
    else:
        raise CommandError(
            "No MobileNetV2 base weights: set CAT_MODEL_WEIGHTS or pass --weights."
        )
    if not path.is_file():
        raise CommandError(f"{path}: MobileNetV2 base weights file is missing.")
    return path
