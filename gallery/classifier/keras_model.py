"""The Keras side: MobileNetV2 backbone, the full cat model, TFLite export.

Imports TensorFlow at the top: import this module only where TensorFlow is meant to
be loaded (training, export, the keras runtime), never from the site's code.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

import keras
import numpy as np
import tensorflow as tf

from gallery.classifier.head import Head

Quantization = Literal["int8", "dynamic", "float16", "float32"]


def limit_threads(num_threads: int | None) -> None:
    """Use at most ``num_threads`` CPU threads (only before TensorFlow starts)."""
    if not num_threads:
        return
    try:
        tf.config.threading.set_intra_op_parallelism_threads(num_threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        pass  # TensorFlow already running in this process: keep its setting


class _FoldedAway(keras.layers.Layer):
    """Stands where a BatchNormalization was folded into the convolution before it."""

    def call(self, inputs, training=None, mask=None):
        return inputs


def fold_batch_norm(model: keras.Model) -> keras.Model:
    """The same model with each BatchNormalization that follows a convolution folded
    into that convolution's kernel and bias (inference only). TensorFlow then runs
    convolution + bias + ReLU6 as one fused op: about a third faster on one thread.
    """
    convolutions = (keras.layers.Conv2D, keras.layers.DepthwiseConv2D)
    folds: dict[str, keras.layers.BatchNormalization] = {}
    for layer in model.layers:
        if not isinstance(layer, keras.layers.BatchNormalization):
            continue
        [parent] = layer._inbound_nodes[0].parent_nodes
        source = parent.operation
        if isinstance(source, convolutions) and not source.use_bias:
            folds[source.name] = layer
    folded_norms = {norm.name for norm in folds.values()}

    def clone(layer: keras.layers.Layer) -> keras.layers.Layer:
        if layer.name in folded_norms:
            return _FoldedAway(name=layer.name)
        config = layer.get_config()
        if layer.name in folds:
            config["use_bias"] = True
        return layer.__class__.from_config(config)

    folded = keras.models.clone_model(model, clone_function=clone)
    for layer in model.layers:
        if layer.name in folded_norms or not layer.weights:
            continue
        target = folded.get_layer(layer.name)
        norm = folds.get(layer.name)
        if norm is None:
            target.set_weights(layer.get_weights())
            continue
        variance = np.asarray(norm.moving_variance)
        mean = np.asarray(norm.moving_mean)
        gamma = np.asarray(norm.gamma) if norm.scale else np.ones_like(mean)
        beta = np.asarray(norm.beta) if norm.center else np.zeros_like(mean)
        scale = gamma / np.sqrt(variance + norm.epsilon)
        kernel = np.asarray(layer.get_weights()[0])
        if isinstance(layer, keras.layers.DepthwiseConv2D):
            kernel = kernel * scale.reshape(1, 1, -1, kernel.shape[-1])
        else:
            kernel = kernel * scale
        target.set_weights([kernel, beta - mean * scale])
    return folded


def build_backbone(weights: Path, size: int = 224) -> keras.Model:
    """Image (float 0..255) -> (ImageNet probabilities, pooled 1280 features)."""
    base = fold_batch_norm(
        keras.applications.MobileNetV2(
            input_shape=(size, size, 3), weights=str(weights), include_top=True
        )
    )
    [pooling] = [
        layer
        for layer in base.layers
        if isinstance(layer, keras.layers.GlobalAveragePooling2D)
    ]
    inner = keras.Model(base.input, [base.output, pooling.output])
    image = keras.Input((size, size, 3), name="image")
    scaled = keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="to_unit_range")(image)
    probabilities, pooled = inner(scaled)
    return keras.Model(image, [probabilities, pooled], name="backbone")


def build_cat_model(weights: Path, head: Head, size: int = 224) -> keras.Model:
    """Image -> {"imagenet": probabilities (1000), "cat": probability (1)}."""
    backbone = build_backbone(weights, size)
    probabilities, pooled = backbone.outputs
    dense = keras.layers.Dense(1, activation="sigmoid", name="cat")
    cat = dense(pooled)
    dense.set_weights(
        [head.kernel.reshape(-1, 1), np.array([head.bias], dtype=np.float32)]
    )
    return keras.Model(
        backbone.input, {"imagenet": probabilities, "cat": cat}, name="cat_model"
    )


def predictor(model: keras.Model) -> Callable[[np.ndarray], tuple[np.ndarray, ...]]:
    """A compiled function: batch (n, size, size, 3) -> the model's outputs as numpy
    arrays (in the order of ``model.outputs``, or imagenet then cat for the cat
    model)."""
    size = model.input_shape[1]
    function = tf.function(
        lambda batch: model(batch, training=False),
        input_signature=[tf.TensorSpec((None, size, size, 3), tf.float32)],
        reduce_retracing=True,
    )

    def predict(batch: np.ndarray) -> tuple[np.ndarray, ...]:
        outputs = function(tf.constant(batch, dtype=tf.float32))
        if isinstance(outputs, dict):
            return outputs["imagenet"].numpy(), outputs["cat"].numpy()
        return tuple(output.numpy() for output in outputs)

    return predict


def to_tflite(
    model: keras.Model,
    quantization: Quantization = "int8",
    representative: Callable[[], Iterable[np.ndarray]] | None = None,
) -> bytes:
    """The model as a TFLite flatbuffer with float input and outputs.

    "int8" quantizes weights and activations (needs ``representative``: prepared
    training images, one (size, size, 3) array at a time); "dynamic" only weights;
    "float16" stores float16 weights.
    """
    size = model.input_shape[1]
    with tempfile.TemporaryDirectory(prefix="cat-model-") as saved_model:
        # Keras 3's own path to TFLite: a SavedModel (variables frozen on the way).
        archive = keras.export.ExportArchive()
        archive.track(model)
        archive.add_endpoint(
            "serve",
            lambda image: model(image, training=False),
            input_signature=[
                tf.TensorSpec((1, size, size, 3), tf.float32, name="image")
            ],
        )
        archive.write_out(saved_model, verbose=False)
        converter = tf.lite.TFLiteConverter.from_saved_model(saved_model)
        return _convert(converter, quantization, representative)


def _convert(
    converter: tf.lite.TFLiteConverter,
    quantization: Quantization,
    representative: Callable[[], Iterable[np.ndarray]] | None,
) -> bytes:
    if quantization != "float32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if quantization == "int8":
        if representative is None:
            raise ValueError("int8 quantization needs representative images")

        def dataset() -> Iterable[list[np.ndarray]]:
            for image in representative():
                yield [image[None].astype(np.float32)]

        converter.representative_dataset = dataset
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    elif quantization == "float16":
        converter.target_spec.supported_types = [tf.float16]
    return bytes(converter.convert())


def standard_weights(size: int = 224) -> Path:
    """Keras' own ImageNet MobileNetV2 weights file (downloaded once into
    ~/.keras/models by Keras, the standard way), for when no weights file is given."""
    from keras.src.applications import mobilenet_v2

    name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{size}.h5"
    return Path(
        keras.utils.get_file(
            name, mobilenet_v2.BASE_WEIGHT_PATH + name, cache_subdir="models"
        )
    )
