"""Two ways to run a model version, behind one interface.

- ``litert``: the version's ``model.tflite`` through LiteRT (``ai-edge-litert``), small
  and fast; what the site uses.
- ``keras``: the float Keras model rebuilt from the MobileNetV2 base weights and the
  version's ``head.npz``; needs TensorFlow (requirements-ml.txt), imported only here,
  when this runtime is created.

Both take a batch of prepared images (float32, ``(n, size, size, 3)``, pixels 0..255)
and return the ImageNet class probabilities ``(n, 1000)`` and the cat probability
``(n,)``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from gallery.classifier.errors import ModelFileError
from gallery.classifier.store import ModelInfo

IMAGENET_CLASSES = 1000


class Runtime(Protocol):
    name: str

    def run(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """ImageNet probabilities (n, 1000) and cat probabilities (n,)."""
        ...


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _dequantize(values: np.ndarray, detail: dict[str, Any]) -> np.ndarray:
    if values.dtype in (np.int8, np.uint8, np.int16):
        scale, zero_point = detail["quantization"]
        return (values.astype(np.float32) - zero_point) * scale
    return values.astype(np.float32)


class LiteRTRuntime:
    """A TFLite model with one image input and two outputs: the ImageNet softmax
    (1000) and the cat probability (1)."""

    name = "litert"

    def __init__(self, model_path: Path, num_threads: int | None = None) -> None:
        if not model_path.is_file():
            raise ModelFileError(model_path, "is missing")
        from ai_edge_litert.interpreter import Interpreter

        try:
            self.interpreter = Interpreter(
                model_path=str(model_path), num_threads=num_threads
            )
            self.interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as error:
            raise ModelFileError(
                model_path, f"is not a usable TFLite model ({error})"
            ) from None
        inputs = self.interpreter.get_input_details()
        outputs = self.interpreter.get_output_details()
        if len(inputs) != 1 or len(inputs[0]["shape"]) != 4:
            raise ModelFileError(model_path, "does not take one image input")
        self.input = inputs[0]
        by_width = {int(detail["shape"][-1]): detail for detail in outputs}
        if len(outputs) != 2 or set(by_width) != {IMAGENET_CLASSES, 1}:
            shapes = [detail["shape"].tolist() for detail in outputs]
            raise ModelFileError(
                model_path,
                f"is not a cat classifier (outputs {shapes}, expected the "
                f"{IMAGENET_CLASSES} ImageNet classes and one cat probability)",
            )
        self.imagenet_output = by_width[IMAGENET_CLASSES]
        self.cat_output = by_width[1]
        self.input_size = int(self.input["shape"][1])

    def _quantize(self, image: np.ndarray) -> np.ndarray:
        dtype = self.input["dtype"]
        if dtype == np.float32:
            return image.astype(np.float32)
        scale, zero_point = self.input["quantization"]
        info = np.iinfo(dtype)
        quantized = np.rint(image / scale + zero_point)
        return np.clip(quantized, info.min, info.max).astype(dtype)

    def run(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        imagenet = np.empty((len(batch), IMAGENET_CLASSES), dtype=np.float32)
        cat = np.empty(len(batch), dtype=np.float32)
        interpreter = self.interpreter
        for row, image in enumerate(batch):
            interpreter.set_tensor(self.input["index"], self._quantize(image[None]))
            interpreter.invoke()
            imagenet[row] = _dequantize(
                interpreter.get_tensor(self.imagenet_output["index"]),
                self.imagenet_output,
            )[0]
            cat[row] = _dequantize(
                interpreter.get_tensor(self.cat_output["index"]), self.cat_output
            ).reshape(-1)[0]
        return imagenet, cat


class KerasRuntime:
    """The float Keras model: MobileNetV2 base weights + the version's head."""

    name = "keras"

    def __init__(
        self, model: ModelInfo, weights: Path | None, num_threads: int | None = None
    ) -> None:
        expected = str(model.card.get("base_weights", {}).get("sha256", ""))
        if weights is None:
            raise ModelFileError(
                Path("CAT_MODEL_WEIGHTS"),
                "is not set: the keras runtime needs the MobileNetV2 base weights "
                f"(sha256 {expected or 'unknown'})",
            )
        if not weights.is_file():
            raise ModelFileError(weights, "is missing (MobileNetV2 base weights)")
        if expected and sha256_of(weights) != expected:
            raise ModelFileError(
                weights,
                f"are not the base weights model {model.version} was trained on "
                f"(sha256 {expected})",
            )
        if not model.head_path.is_file():
            raise ModelFileError(model.head_path, "is missing")

        from gallery.classifier import keras_model

        keras_model.limit_threads(num_threads)
        head = keras_model.Head.load(model.head_path)
        self._model = keras_model.build_cat_model(
            weights, head, size=int(model.card["preprocessing"]["size"])
        )
        self._predict: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] = (
            keras_model.predictor(self._model)
        )

    def run(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        imagenet, cat = self._predict(batch.astype(np.float32))
        return imagenet, cat.reshape(-1)


RUNTIMES = ("litert", "keras")


def make_runtime(
    name: str,
    model: ModelInfo,
    *,
    weights: Path | None = None,
    num_threads: int | None = None,
) -> Runtime:
    """The runtime called ``name`` ("litert" or "keras") for a model version."""
    if name == "litert":
        return LiteRTRuntime(model.tflite_path, num_threads=num_threads)
    if name == "keras":
        return KerasRuntime(model, weights, num_threads=num_threads)
    raise ValueError(f"unknown cat classifier runtime {name!r} (use one of {RUNTIMES})")
