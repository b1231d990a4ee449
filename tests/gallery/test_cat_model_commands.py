"""train_cat_model, export_cat_model, cat_model and evaluate_cat_model.

One small training run (20 photos from ../shared/cat-train, one epoch) is shared by
the tests of this module; it needs TensorFlow (make test installs it) and the base
weights in ../shared.
"""

import csv
import json
import shutil
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from gallery.classifier import ModelStore, load_classifier, open_image
from tests.gallery.classifier.conftest import (
    CAT_EVAL,
    CAT_TRAIN,
    WEIGHTS,
    needs_cat_eval,
    needs_shared_weights,
)

EVALUATION_KEYS = {
    "n",
    "accuracy",
    "precision",
    "recall",
    "f1",
    "threshold",
    "ms_per_image",
    "model_version",
    "runtime",
}


def small_folder(source, target, count: int):
    """The first ``count`` rows of a labels.csv folder, copied."""
    (target / "images").mkdir(parents=True)
    with (source / "labels.csv").open() as file:
        reader = csv.DictReader(file)
        fields, rows = reader.fieldnames, list(reader)[:count]
    with (target / "labels.csv").open("w", newline="") as file:
        writer = csv.DictWriter(file, fields)
        writer.writeheader()
        writer.writerows(rows)
    for row in rows:
        shutil.copy(source / "images" / row["file"], target / "images" / row["file"])
    return target


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    pytest.importorskip("tensorflow", reason="TensorFlow (requirements-ml.txt)")
    if not WEIGHTS.is_file():
        pytest.skip(f"the MobileNetV2 base weights are not at {WEIGHTS}")
    root = tmp_path_factory.mktemp("training")
    data = small_folder(CAT_TRAIN, root / "data", 20)
    output = run(
        "train_cat_model",
        "--data",
        str(data),
        "--out",
        str(root / "models"),
        "--epochs",
        "1",
        "--weights",
        str(WEIGHTS),
        "--name",
        "cat-test-0001",
    )
    return root / "models", data, output


@needs_shared_weights
def test_training_makes_a_usable_versioned_model(trained):
    models, data, output = trained
    assert "Trained cat-test-0001" in output
    folder = models / "cat-test-0001"
    assert {p.name for p in folder.iterdir()} == {
        "model.tflite",
        "head.npz",
        "card.json",
    }
    card = json.loads((folder / "card.json").read_text())
    assert card["version"] == "cat-test-0001"
    assert card["data"][0]["images"] == 20
    assert len(card["data"][0]["files_sha256"]) == 64
    assert card["split"]["validation"]["images"] == 4
    assert card["tflite"]["quantization"] == "int8"
    assert card["tflite"]["bytes"] < 5_000_000
    assert 0 < card["threshold"] < 1
    assert card["runtime_agreement"]["images"] == 4
    assert card["training"]["newton_steps"] == 1

    classifier = load_classifier("cat-test-0001", model_dir=models)
    first = sorted((data / "images").iterdir())[0]
    prediction = classifier.classify(open_image(first))
    assert prediction.model_version == "cat-test-0001"
    assert prediction.label in ("cat", "not_cat")


@needs_shared_weights
def test_listing_and_activating_versions(trained, settings):
    models, _, _ = trained
    settings.CAT_MODEL_DIR = models
    settings.CAT_MODEL_VERSION = ""
    shipped = ModelStore(None).active_version()

    listing = run("cat_model", "--list")
    assert f"* {shipped}" in listing
    assert "  cat-test-0001  trained" in listing

    run("cat_model", "--activate", "cat-test-0001")
    try:
        assert (models / "ACTIVE").read_text().strip() == "cat-test-0001"
        assert "* cat-test-0001" in run("cat_model", "--list")
    finally:
        (models / "ACTIVE").unlink()
    with pytest.raises(CommandError, match="no such cat model version"):
        run("cat_model", "--activate", "cat-nope")


@needs_shared_weights
def test_export_again(trained, settings):
    models, data, _ = trained
    settings.CAT_MODEL_DIR = models
    output = run(
        "export_cat_model",
        "--model",
        "cat-test-0001",
        "--data",
        str(data),
        "--quantization",
        "dynamic",
        "--weights",
        str(WEIGHTS),
    )
    assert "(dynamic," in output
    card = json.loads((models / "cat-test-0001" / "card.json").read_text())
    assert card["tflite"]["quantization"] == "dynamic"
    assert card["runtime_agreement"]["label_agreement"] == 1.0
    load_classifier("cat-test-0001", model_dir=models).classify(
        open_image(next((data / "images").iterdir()))
    )


@needs_cat_eval
def test_evaluate_prints_json_last(tmp_path):
    data = small_folder(CAT_EVAL, tmp_path / "eval", 6)

    output = run(
        "evaluate_cat_model",
        "--images",
        str(data / "images"),
        "--labels",
        str(data / "labels.csv"),
        "--json",
    )

    summary = json.loads(output.strip().splitlines()[-1])
    assert set(summary) == EVALUATION_KEYS
    assert summary["n"] == 6
    assert summary["runtime"] == "litert"
    assert summary["model_version"] == ModelStore(None).active_version()
    assert 0 <= summary["accuracy"] <= 1
    assert summary["ms_per_image"] > 0


def test_evaluate_names_what_is_missing(tmp_path):
    with pytest.raises(CommandError, match="labels.csv"):
        run(
            "evaluate_cat_model",
            "--images",
            str(tmp_path),
            "--labels",
            str(tmp_path / "labels.csv"),
        )
