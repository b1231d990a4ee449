"""The classifier with a tiny model built here (red pictures are "cats")."""

import dataclasses
import json
from pathlib import Path

import pytest
from PIL import Image

from gallery.classifier import (
    ModelFileError,
    Prediction,
    UnreadableImageError,
    load_classifier,
    open_image,
)
from gallery.classifier.runtimes import LiteRTRuntime, make_runtime
from gallery.classifier.store import ModelStore
from tests.gallery.classifier.conftest import (
    ROOT,
    TINY_VERSION,
    build_tiny_tflite,
    jpeg_bytes,
    solid,
    write_card,
)
from tests.processes import run_python


@pytest.fixture
def classifier(tiny_model_dir):
    return load_classifier(TINY_VERSION, model_dir=tiny_model_dir, num_threads=1)


def test_red_is_a_cat_and_blue_is_not(classifier):
    cat = classifier.classify(solid("red"))
    not_cat = classifier.classify(solid("blue"))

    assert isinstance(cat, Prediction)
    assert (cat.label, not_cat.label) == ("cat", "not_cat")
    assert cat.is_cat and not not_cat.is_cat
    assert cat.score > 0.99 and not_cat.score < 0.01
    assert cat.threshold == 0.5
    assert cat.model_version == TINY_VERSION
    assert cat.top_classes[0][0] == "tabby, tabby cat"
    assert not_cat.top_classes[0][0] == "goldfish, Carassius auratus"
    assert len(cat.top_classes) == 5
    assert all(0 <= p <= 1 for _, p in cat.top_classes)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cat.label = "not_cat"


def test_the_threshold_comes_from_the_card(tiny_model_dir):
    write_card(tiny_model_dir / TINY_VERSION, TINY_VERSION, threshold=0.999)
    strict = load_classifier(TINY_VERSION, model_dir=tiny_model_dir)
    grey_red = solid((200, 100, 100))
    assert strict.classify(grey_red).label == "not_cat"


def test_many_images_at_once(classifier):
    labels = [p.label for p in classifier.classify_many([solid("red"), solid("blue")])]
    assert labels == ["cat", "not_cat"]
    assert classifier.classify_many([]) == []


def test_images_of_any_kind(classifier):
    transparent_red = Image.new("RGBA", (20, 20), (255, 0, 0, 255))
    assert classifier.classify(transparent_red).label == "cat"
    grey = classifier.classify(Image.new("I;16", (20, 20), 30000))
    assert abs(grey.score - 0.5) < 0.01  # as red as it is blue
    photo = open_image(jpeg_bytes(solid("red", (1200, 900))))
    assert classifier.classify(photo).label == "cat"


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", jpeg_bytes(solid("red", (200, 200)))[:300]],
    ids=["empty", "text", "truncated-jpeg"],
)
def test_undecodable_images(classifier, data):
    with pytest.raises(UnreadableImageError):
        classifier.classify(open_image(data))


def test_a_missing_model_file_is_named(tiny_model_dir):
    (tiny_model_dir / TINY_VERSION / "model.tflite").unlink()
    with pytest.raises(ModelFileError, match=r"model\.tflite: is missing") as caught:
        load_classifier(TINY_VERSION, model_dir=tiny_model_dir)
    assert caught.value.path == tiny_model_dir / TINY_VERSION / "model.tflite"


def test_a_file_that_is_not_a_model_is_named(tiny_model_dir):
    path = tiny_model_dir / TINY_VERSION / "model.tflite"
    path.write_bytes(b"this is not a flatbuffer" * 10)
    with pytest.raises(ModelFileError, match="not a usable TFLite model") as caught:
        load_classifier(TINY_VERSION, model_dir=tiny_model_dir)
    assert caught.value.path == path


def test_a_model_without_a_cat_output_is_refused(tmp_path):
    path = tmp_path / "imagenet.tflite"
    build_tiny_tflite(path, outputs="imagenet-only")
    with pytest.raises(ModelFileError, match="not a cat classifier"):
        LiteRTRuntime(path)


def test_unknown_versions_and_runtimes(tiny_model_dir):
    with pytest.raises(ModelFileError, match="no such cat model version"):
        load_classifier("cat-19990101-000000", model_dir=tiny_model_dir)
    model = ModelStore(tiny_model_dir).get(TINY_VERSION)
    with pytest.raises(ValueError, match="unknown cat classifier runtime"):
        make_runtime("onnx", model)


def test_the_keras_runtime_names_missing_or_wrong_weights(tiny_model_dir, tmp_path):
    card_path = tiny_model_dir / TINY_VERSION / "card.json"
    card = json.loads(card_path.read_text())
    card["base_weights"] = {"file": "weights.h5", "sha256": "0" * 64}
    card_path.write_text(json.dumps(card))

    with pytest.raises(ModelFileError, match="CAT_MODEL_WEIGHTS: is not set"):
        load_classifier(TINY_VERSION, runtime="keras", model_dir=tiny_model_dir)
    missing = tmp_path / "nowhere.h5"
    with pytest.raises(ModelFileError, match="nowhere.h5: is missing"):
        load_classifier(
            TINY_VERSION, runtime="keras", model_dir=tiny_model_dir, weights=missing
        )
    wrong = tmp_path / "wrong.h5"
    wrong.write_bytes(b"other weights")
    with pytest.raises(ModelFileError, match="wrong.h5: are not the base weights"):
        load_classifier(
            TINY_VERSION, runtime="keras", model_dir=tiny_model_dir, weights=wrong
        )


def test_the_classifier_needs_neither_django_nor_tensorflow():
    """Imported and run on its own, with the shipped model, in a fresh interpreter."""
    script = (
        "import sys\n"
        "from PIL import Image\n"
        "from gallery.classifier import load_classifier\n"
        "prediction = load_classifier().classify(Image.new('RGB', (50, 50), 'red'))\n"
        "heavy = [m for m in ('django', 'wagtail', 'tensorflow', 'keras')"
        " if m in sys.modules]\n"
        "print(prediction.label, heavy)\n"
    )
    result = run_python("-c", script, scrub={"DJANGO_SETTINGS_MODULE"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 1)[1].strip() == "[]"


def test_gallery_package_init_stays_empty():
    assert Path(ROOT / "gallery" / "__init__.py").read_text().strip() == ""
