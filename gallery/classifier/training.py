"""Training a cat model: MobileNetV2 features (frozen) + a logistic head.

1. The labelled examples are split, stratified and seeded, into training and
   validation images (the validation share never trains anything).
2. MobileNetV2 (ImageNet weights) turns each image into 1280 pooled features; the
   training images also count once more mirrored (mild augmentation).
3. A logistic head with an L2 penalty is fitted on the training features
   (`head.fit_head`); the threshold is the best-F1 one on the validation images.
4. Backbone + head are exported to an int8 TFLite model (calibrated on training
   images), checked against the Keras model on the validation images, and written
   with ``head.npz`` and ``card.json`` as a new version folder.

TensorFlow is imported only inside these functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from gallery.classifier.data import DataSource, Example, all_examples
from gallery.classifier.head import Head, fit_head
from gallery.classifier.metrics import binary_metrics, choose_threshold
from gallery.classifier.preprocessing import Preprocessing, prepare
from gallery.classifier.runtimes import LiteRTRuntime, sha256_of
from gallery.classifier.store import (
    CARD_FILE,
    HEAD_FILE,
    LABELS_FILE,
    TFLITE_FILE,
    ModelInfo,
    read_card,
)

PREPROCESSING = Preprocessing(size=224, resize="center_crop", crop_fraction=0.875)
L2_PER_EXAMPLE = 0.007
REPRESENTATIVE_IMAGES = 200
BATCH = 32

Log = Callable[[str], None]


@dataclass(frozen=True)
class TrainingOptions:
    epochs: int = 25  # Newton steps of the head (it stops early once converged)
    seed: int = 20261126
    validation_fraction: float = 0.2
    augment: bool = True
    quantization: str = "int8"
    version: str = ""
    num_threads: int | None = None


def new_version() -> str:
    return dt.datetime.now(dt.UTC).strftime("cat-%Y%m%d-%H%M%S")


def split(
    examples: Sequence[Example], fraction: float, seed: int
) -> tuple[list[Example], list[Example]]:
    """Stratified, seeded: ``fraction`` of the cats and of the not-cats validate."""
    rng = np.random.default_rng(seed)
    train: list[Example] = []
    validation: list[Example] = []
    for is_cat in (True, False):
        group = sorted((e for e in examples if e.is_cat == is_cat), key=lambda e: e.key)
        order = rng.permutation(len(group))
        cut = round(len(group) * fraction)
        validation += [group[i] for i in order[:cut]]
        train += [group[i] for i in order[cut:]]
    return train, validation


def load_prepared(example: Example, mirror: bool = False) -> np.ndarray:
    prepared = prepare(Image.open(io.BytesIO(example.read())), PREPROCESSING)
    # The centre crop is symmetric, so mirroring the prepared pixels is the same as
    # preparing the mirrored photo.
    return prepared[:, ::-1] if mirror else prepared


def _batches(examples: Sequence[Example], mirror: bool) -> Iterator[np.ndarray]:
    for start in range(0, len(examples), BATCH):
        chunk = examples[start : start + BATCH]
        yield np.stack([load_prepared(example, mirror) for example in chunk])


def extract(
    predict: Callable[[np.ndarray], tuple[np.ndarray, ...]],
    examples: Sequence[Example],
    mirror: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """(ImageNet probabilities, pooled features) of every example."""
    probabilities, pooled = [], []
    for batch in _batches(examples, mirror):
        p, f = predict(batch)
        probabilities.append(p)
        pooled.append(f)
    return np.concatenate(probabilities), np.concatenate(pooled)


def _counts(examples: Sequence[Example]) -> dict[str, int]:
    cats = sum(e.is_cat for e in examples)
    return {"images": len(examples), "cat": cats, "not_cat": len(examples) - cats}


def _metrics_dict(labels: np.ndarray, scores: np.ndarray, threshold: float) -> dict:
    metrics = binary_metrics(labels, scores, threshold).as_dict()
    clipped = np.clip(scores.astype(np.float64), 1e-7, 1 - 1e-7)
    metrics["log_loss"] = float(
        -np.mean(labels * np.log(clipped) + (1 - labels) * np.log(1 - clipped))
    )
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in metrics.items()}


def _litert_scores(path: Path, examples: Sequence[Example]) -> np.ndarray:
    runtime = LiteRTRuntime(path, num_threads=1)
    scores = []
    for batch in _batches(examples, mirror=False):
        scores.append(runtime.run(batch)[1])
    return np.concatenate(scores)


def export_tflite(
    weights: Path,
    head: Head,
    representative: Sequence[Example],
    quantization: str = "int8",
    num_threads: int | None = None,
) -> bytes:
    """Backbone + head as a TFLite model, int8-calibrated on ``representative``."""
    from gallery.classifier import keras_model

    keras_model.limit_threads(num_threads)
    model = keras_model.build_cat_model(weights, head, size=PREPROCESSING.size)

    def images() -> Iterator[np.ndarray]:
        for example in representative:
            yield load_prepared(example)

    return keras_model.to_tflite(model, quantization, images)  # type: ignore[arg-type]


def _agreement(
    tflite: Path,
    examples: Sequence[Example],
    keras_scores: np.ndarray,
    threshold: float,
) -> tuple[dict[str, Any], np.ndarray]:
    litert_scores = _litert_scores(tflite, examples)
    agree = (litert_scores >= threshold) == (keras_scores >= threshold)
    return {
        "images": len(examples),
        "label_agreement": round(float(agree.mean()), 6),
        "max_score_difference": round(
            float(np.abs(litert_scores - keras_scores).max()), 6
        ),
    }, litert_scores


def _representative(train: Sequence[Example], seed: int) -> list[Example]:
    rng = np.random.default_rng(seed + 1)
    count = min(REPRESENTATIVE_IMAGES, len(train))
    return [train[i] for i in sorted(rng.choice(len(train), count, replace=False))]


def train(
    sources: Sequence[DataSource],
    weights: Path,
    out_dir: Path,
    options: TrainingOptions = TrainingOptions(),
    log: Log = lambda message: None,
) -> ModelInfo:
    """Train on ``sources`` and write a new version folder into ``out_dir``."""
    started = time.perf_counter()
    examples = all_examples(sources)
    if not weights.is_file():
        raise FileNotFoundError(f"{weights}: MobileNetV2 base weights are missing")
    cats = sum(e.is_cat for e in examples)
    if cats < 2 or len(examples) - cats < 2:
        raise ValueError("training needs at least 2 cats and 2 not-cats")
    train_set, validation = split(examples, options.validation_fraction, options.seed)
    log(
        f"{len(examples)} images: {len(train_set)} to train on, "
        f"{len(validation)} to validate"
    )

    from gallery.classifier import keras_model

    keras_model.limit_threads(options.num_threads)
    backbone = keras_model.build_backbone(weights, PREPROCESSING.size)
    predict = keras_model.predictor(backbone)

    log("Extracting MobileNetV2 features…")
    _, features = extract(predict, train_set)
    labels = np.array([e.is_cat for e in train_set], dtype=np.float64)
    if options.augment:
        _, mirrored = extract(predict, train_set, mirror=True)
        features = np.concatenate([features, mirrored])
        labels = np.concatenate([labels, labels])
    validation_probabilities, validation_features = extract(predict, validation)
    validation_labels = np.array([e.is_cat for e in validation], dtype=np.float64)
    extracted = time.perf_counter()

    log(f"Fitting the head on {len(features)} feature vectors…")
    head, steps = fit_head(
        features, labels, l2_per_example=L2_PER_EXAMPLE, max_steps=options.epochs
    )
    keras_scores = head.predict(validation_features)
    threshold = choose_threshold(validation_labels.astype(bool), keras_scores)
    validation_metrics = _metrics_dict(validation_labels, keras_scores, threshold)
    log(
        f"Validation (Keras): accuracy {validation_metrics['accuracy']:.4f}, "
        f"F1 {validation_metrics['f1']:.4f} at threshold {threshold}"
    )
    # The zero-shot baseline: the summed ImageNet domestic-cat classes (281-285).
    zero_shot = validation_probabilities[:, 281:286].sum(axis=1)
    zero_shot_threshold = choose_threshold(validation_labels.astype(bool), zero_shot)

    version = options.version or new_version()
    out_dir.mkdir(parents=True, exist_ok=True)
    if (out_dir / version).exists():
        raise FileExistsError(f"{out_dir / version} already exists")
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=out_dir))
    staging.chmod(0o755)  # mkdtemp makes it private
    try:
        head.save(staging / HEAD_FILE)
        log(f"Exporting to TFLite ({options.quantization})…")
        representative = _representative(train_set, options.seed)
        tflite = export_tflite(
            weights, head, representative, options.quantization, options.num_threads
        )
        (staging / TFLITE_FILE).write_bytes(tflite)
        agreement, litert_scores = _agreement(
            staging / TFLITE_FILE, validation, keras_scores, threshold
        )
        log(
            f"LiteRT agrees with Keras on {agreement['label_agreement']:.2%} of the "
            "validation images"
        )
        card = {
            "version": version,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "model": (
                "MobileNetV2 1.0 224 (ImageNet weights, frozen) with a logistic "
                "cat head on its 1280 pooled features; outputs the 1000 ImageNet "
                "probabilities and the cat probability"
            ),
            "threshold": threshold,
            "preprocessing": PREPROCESSING.as_dict(),
            "base_weights": {"file": weights.name, "sha256": sha256_of(weights)},
            "class_names": {
                "file": LABELS_FILE.name,
                "sha256": sha256_of(LABELS_FILE),
            },
            "data": [
                {
                    "name": source.name,
                    "location": source.location,
                    **source.counts(),
                    "files_sha256": source.digest(),
                }
                for source in sources
            ],
            "split": {
                "seed": options.seed,
                "validation_fraction": options.validation_fraction,
                "train": _counts(train_set),
                "validation": _counts(validation),
            },
            "training": {
                "augment": ["mirror"] if options.augment else [],
                "feature_vectors": len(features),
                "l2_per_example": L2_PER_EXAMPLE,
                "max_epochs": options.epochs,
                "newton_steps": steps,
                "feature_seconds": round(extracted - started, 1),
            },
            "validation": {
                "keras": validation_metrics,
                "litert": _metrics_dict(validation_labels, litert_scores, threshold),
                # A baseline: summed ImageNet cat classes, with a threshold chosen
                # on these same images (so flattering).
                "zero_shot_keras": _metrics_dict(
                    validation_labels, zero_shot, zero_shot_threshold
                ),
            },
            "tflite": {
                "file": TFLITE_FILE,
                "quantization": options.quantization,
                "bytes": len(tflite),
                "sha256": hashlib.sha256(tflite).hexdigest(),
                "representative_images": len(representative),
            },
            "runtime_agreement": agreement,
        }
        card["training"]["seconds"] = round(time.perf_counter() - started, 1)
        (staging / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n")
        staging.rename(out_dir / version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log(f"Wrote {out_dir / version} in {card['training']['seconds']:.0f} s")
    return ModelInfo(version, out_dir / version, card, shipped=False)


def reexport(
    model: ModelInfo,
    weights: Path,
    representative: Sequence[Example],
    quantization: str = "int8",
    validation: Sequence[Example] = (),
    num_threads: int | None = None,
) -> dict[str, Any]:
    """Export ``model`` to TFLite again (e.g. with another quantization) from its
    head and the base weights; updates its card. Returns the card's tflite entry."""
    if sha256_of(weights) != model.card["base_weights"]["sha256"]:
        raise ValueError(f"{weights} are not the base weights of {model.version}")
    head = Head.load(model.head_path)
    tflite = export_tflite(weights, head, representative, quantization, num_threads)
    target = model.path / TFLITE_FILE
    partial = target.with_suffix(".tflite.partial")
    partial.write_bytes(tflite)
    partial.replace(target)
    card = read_card(model.path)
    card["tflite"] = {
        "file": TFLITE_FILE,
        "quantization": quantization,
        "bytes": len(tflite),
        "sha256": hashlib.sha256(tflite).hexdigest(),
        "representative_images": len(representative),
        "exported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    if validation:
        from gallery.classifier import keras_model

        keras = keras_model.predictor(
            keras_model.build_cat_model(weights, head, PREPROCESSING.size)
        )
        keras_scores = np.concatenate(
            [keras(batch)[1].reshape(-1) for batch in _batches(validation, False)]
        )
        card["runtime_agreement"], _ = _agreement(
            target, validation, keras_scores, float(card["threshold"])
        )
    (model.path / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n")
    return card["tflite"]


def representative_from_card(
    model: ModelInfo, sources: Sequence[DataSource]
) -> tuple[list[Example], list[Example]]:
    """The same training/validation split as when ``model`` was trained, from the
    same ``sources``: (representative training images, validation images)."""
    split_card = model.card.get("split", {})
    train_set, validation = split(
        all_examples(sources),
        float(split_card.get("validation_fraction", 0.2)),
        int(split_card.get("seed", TrainingOptions.seed)),
    )
    return _representative(train_set, int(split_card.get("seed", 0))), validation
