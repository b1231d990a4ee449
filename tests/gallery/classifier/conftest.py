"""Fixtures for the classifier's own tests: no Django, no database, no settings.

`tiny_model_dir` builds (with TensorFlow, in a few seconds) a model folder with the
real model's interface but a 32 px input and a rule that is easy to test: the cat
probability rises with how much redder than blue the picture is.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"
WEIGHTS = SHARED / "models" / "mobilenet_v2_1.0_224_imagenet_from_tflite_ptq.h5"
CAT_EVAL = SHARED / "cat-eval"
CAT_TRAIN = SHARED / "cat-train"
TINY_VERSION = "tiny-0001"

needs_shared_weights = pytest.mark.skipif(
    not WEIGHTS.is_file(),
    reason=f"the MobileNetV2 base weights are not at {WEIGHTS} (../shared beside "
    "the project)",
)
needs_cat_eval = pytest.mark.skipif(
    not (CAT_EVAL / "labels.csv").is_file(),
    reason=f"the labelled evaluation photos are not at {CAT_EVAL}",
)


def build_tiny_tflite(path: Path, outputs: str = "cat") -> None:
    """A 32 px model: 1000 ImageNet-like softmax outputs and, unless ``outputs`` is
    "imagenet-only", one cat probability = sigmoid(8 * (red - blue) / 255)."""
    tf = pytest.importorskip("tensorflow", reason="TensorFlow (requirements-ml.txt)")
    keras = tf.keras

    image = keras.Input((32, 32, 3))
    mean = keras.layers.GlobalAveragePooling2D()(image)
    classes = keras.layers.Dense(1000, activation="softmax")
    probabilities = classes(mean)
    kernel = np.zeros((3, 1000), np.float32)
    kernel[0, 281] = 0.1  # red pictures look like "tabby"
    kernel[2, 1] = 0.1  # blue ones like "goldfish"
    classes.set_weights([kernel, np.zeros(1000, np.float32)])
    cat = keras.layers.Dense(1, activation="sigmoid")
    score = cat(mean)
    cat.set_weights([np.array([[8 / 255], [0], [-8 / 255]], np.float32), np.zeros(1)])
    if outputs == "imagenet-only":
        model = keras.Model(image, probabilities)
    else:
        model = keras.Model(image, {"imagenet": probabilities, "cat": score})

    from gallery.classifier.keras_model import to_tflite

    path.write_bytes(to_tflite(model, "float32"))


def write_card(folder: Path, version: str, threshold: float = 0.5, size: int = 32):
    folder.mkdir(parents=True, exist_ok=True)
    card = {
        "version": version,
        "threshold": threshold,
        "preprocessing": {"size": size, "resize": "squash", "crop_fraction": 0.875},
    }
    (folder / "card.json").write_text(json.dumps(card))


@pytest.fixture(scope="session")
def tiny_tflite(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "model.tflite"
    build_tiny_tflite(path)
    return path


@pytest.fixture
def tiny_model_dir(tmp_path, tiny_tflite) -> Path:
    """A model folder holding version TINY_VERSION (and nothing shipped-looking)."""
    folder = tmp_path / "models" / TINY_VERSION
    write_card(folder, TINY_VERSION)
    (folder / "model.tflite").write_bytes(tiny_tflite.read_bytes())
    return tmp_path / "models"


def solid(colour, size=(40, 30), mode="RGB") -> Image.Image:
    return Image.new(mode, size, colour)


def jpeg_bytes(image: Image.Image, **options) -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()
