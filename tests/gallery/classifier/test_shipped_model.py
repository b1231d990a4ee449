"""The shipped model on a few labelled photos from ../shared/cat-eval."""

import csv

import pytest

from gallery.classifier import ModelStore, load_classifier, open_image
from gallery.classifier.runtimes import sha256_of
from tests.gallery.classifier.conftest import (
    CAT_EVAL,
    WEIGHTS,
    needs_cat_eval,
    needs_shared_weights,
)

MAX_SHIPPED_BYTES = 5_000_000


def some_eval_photos(per_label: int = 3) -> list[tuple[str, str]]:
    with (CAT_EVAL / "labels.csv").open() as file:
        rows = list(csv.DictReader(file))
    chosen = []
    for label in ("cat", "not_cat"):
        chosen += [(r["file"], label) for r in rows if r["label"] == label][:per_label]
    return chosen


def test_the_shipped_model_is_small_and_described():
    model = ModelStore(None).active()
    files = [path for path in model.path.iterdir() if path.is_file()]
    assert sum(path.stat().st_size for path in files) < MAX_SHIPPED_BYTES
    card = model.card
    assert card["version"] == model.version
    assert card["tflite"]["sha256"] == sha256_of(model.tflite_path)
    assert card["runtime_agreement"]["label_agreement"] >= 0.995
    assert card["validation"]["keras"]["f1"] >= 0.97
    assert {entry["name"] for entry in card["data"]} == {"cat-train"}


@needs_cat_eval
def test_the_shipped_model_on_labelled_photos():
    classifier = load_classifier(num_threads=1)
    photos = some_eval_photos()
    for file, label in photos:
        prediction = classifier.classify(open_image(CAT_EVAL / "images" / file))
        assert prediction.label == label, (file, prediction)
        assert prediction.top_classes


@needs_cat_eval
@needs_shared_weights
def test_keras_and_litert_agree_on_them():
    pytest.importorskip("tensorflow", reason="TensorFlow (requirements-ml.txt)")
    assert (
        sha256_of(WEIGHTS) == ModelStore(None).active().card["base_weights"]["sha256"]
    )
    litert = load_classifier(num_threads=1)
    keras = load_classifier(runtime="keras", weights=WEIGHTS, num_threads=1)
    for file, _ in some_eval_photos(2):
        path = CAT_EVAL / "images" / file
        a = litert.classify(open_image(path))
        b = keras.classify(open_image(path))
        assert a.label == b.label
        assert abs(a.score - b.score) < 0.15
        assert a.top_classes[0][0] == b.top_classes[0][0]
