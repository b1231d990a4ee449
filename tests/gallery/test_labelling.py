"""gallery/labelling.py: new member photos are labelled by the task worker.

The test settings run tasks at once (ImmediateBackend), on commit: the tests execute
the captured on_commit callbacks to let the task run.
"""

import csv
import json
import shutil
from io import StringIO
from unittest import mock

from django.core.files.images import ImageFile
from django.core.management import call_command

from wagtail.models import Collection

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gallery import labelling
from gallery.classifier import ModelFileError, ModelStore
from gallery.labelling import Outcome, label_image, label_photo, request_labelling
from gallery.models import CatLabel, GalleryImage, LabelSource, LabelStatus
from tests.factories.gallery import GalleryImageFactory
from tests.gallery.classifier.conftest import CAT_EVAL
from tests.processes import run_python

SHIPPED = ModelStore(None).active()


def eval_photo(label: str) -> ImageFile | None:
    """The first photo of cat-eval with this label (the shipped model gets them
    right), or None without ../shared."""
    labels = CAT_EVAL / "labels.csv"
    if not labels.is_file():
        return None
    with labels.open() as file:
        row = next(r for r in csv.DictReader(file) if r["label"] == label)
    return ImageFile((CAT_EVAL / "images" / row["file"]).open("rb"), name=row["file"])


def new_photo(member, label: str | None = None, **fields) -> GalleryImage:
    if label and (file := eval_photo(label)):
        fields["file"] = file
    return GalleryImageFactory(uploaded_by_user=member, **fields)


@pytest.fixture(autouse=True)
def _fresh_classifier():
    labelling.forget_classifier()
    yield
    labelling.forget_classifier()


@pytest.mark.django_db
def test_a_new_member_photo_is_labelled_once_committed(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        photo = new_photo(member, "cat")
    photo.refresh_from_db()
    assert photo.cat_label_status == LabelStatus.PENDING
    assert photo.cat_label == ""
    assert len(callbacks) == 1

    callbacks[0]()

    photo.refresh_from_db()
    assert photo.cat_label_status == LabelStatus.LABELLED
    assert photo.cat_label_source == LabelSource.MODEL
    assert photo.cat_model_version == SHIPPED.version
    assert photo.cat_labelled_at is not None
    assert 0 <= photo.cat_score <= 1
    assert photo.cat_label_attempts == 1
    assert photo.cat_label_error == ""
    assert len(photo.cat_top_classes) == 5
    name, probability = photo.cat_top_classes[0]
    assert isinstance(name, str) and 0 <= probability <= 1
    if eval_photo("cat"):
        assert photo.cat_label == CatLabel.CAT
        assert photo in GalleryImage.objects.photos().cats()


@pytest.mark.django_db
def test_labelled_or_editorial_images_are_not_queued(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        demo = new_photo(
            member, cat_label=CatLabel.CAT, cat_label_source=LabelSource.MODERATOR
        )
        editorial = GalleryImageFactory(
            uploaded_by_user=member, collection=Collection.get_first_root_node()
        )
    assert callbacks == []
    assert demo.cat_label_status == LabelStatus.LABELLED
    assert editorial.cat_label_status == LabelStatus.PENDING


@pytest.mark.django_db
def test_a_moderator_label_is_never_overwritten(member):
    photo = new_photo(member, "cat")
    labelling.set_moderator_label(photo, CatLabel.NOT_CAT)

    assert label_photo.call(photo.pk) == Outcome.MODERATOR
    assert request_labelling(photo) is False

    photo.refresh_from_db()
    assert photo.cat_label == CatLabel.NOT_CAT
    assert photo.cat_label_source == LabelSource.MODERATOR
    assert photo.cat_label_status == LabelStatus.LABELLED
    assert photo.cat_score is None


@pytest.mark.django_db
def test_a_moderator_labelling_during_classification_wins(member):
    photo = new_photo(member, "cat")
    classifier = labelling.get_classifier()
    real_classify = classifier.classify

    def moderator_meanwhile(image):
        labelling.set_moderator_label(
            GalleryImage.objects.get(pk=photo.pk), CatLabel.NOT_CAT
        )
        return real_classify(image)

    with mock.patch.object(classifier, "classify", side_effect=moderator_meanwhile):
        outcome = label_image(photo, classifier)  # photo still says "no moderator"

    assert outcome == Outcome.MODERATOR
    photo.refresh_from_db()
    assert (photo.cat_label, photo.cat_label_source) == ("not_cat", "moderator")
    assert photo.cat_model_version == ""


@pytest.mark.django_db
def test_a_corrupt_file_fails_with_the_reason(member):
    photo = new_photo(member)
    with open(photo.file.path, "wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n but not really")

    label_photo.enqueue(photo.pk)

    # (values(): refresh_from_db would make Django re-read the broken file's size)
    state = GalleryImage.objects.values().get(pk=photo.pk)
    assert state["cat_label_status"] == LabelStatus.FAILED
    assert photo.file.name in state["cat_label_error"]
    assert "cannot identify image file" in state["cat_label_error"]
    assert state["cat_label_attempts"] == 1
    assert state["cat_label"] == ""


@pytest.mark.django_db
def test_transient_failures_are_retried_then_marked_failed(member, settings):
    settings.CAT_LABEL_MAX_ATTEMPTS = 3
    photo = new_photo(member)

    with mock.patch.object(labelling, "_read", side_effect=OSError("disk on fire")):
        label_photo.enqueue(photo.pk)  # the immediate backend runs the retries too

    photo.refresh_from_db()
    assert photo.cat_label_status == LabelStatus.FAILED
    assert photo.cat_label_attempts == 3
    assert "disk on fire" in photo.cat_label_error


@pytest.mark.django_db
def test_a_retry_can_succeed(member):
    photo = new_photo(member)
    read = labelling._read
    failures = iter([OSError("storage hiccup")])

    def flaky(image):
        for error in failures:
            raise error
        return read(image)

    with mock.patch.object(labelling, "_read", side_effect=flaky):
        label_photo.enqueue(photo.pk)

    photo.refresh_from_db()
    assert photo.cat_label_status == LabelStatus.LABELLED
    assert photo.cat_label_attempts == 2
    assert photo.cat_label_error == ""


@pytest.mark.django_db
def test_a_missing_model_keeps_photos_pending(member, settings, tmp_path):
    photo = new_photo(member)
    broken = tmp_path / "models" / "cat-broken"
    broken.mkdir(parents=True)
    shutil.copy(SHIPPED.path / "card.json", broken / "card.json")
    settings.CAT_MODEL_DIR = tmp_path / "models"
    settings.CAT_MODEL_VERSION = "cat-broken"

    result = label_photo.enqueue(photo.pk)

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class is ModelFileError
    photo.refresh_from_db()
    assert photo.cat_label_status == LabelStatus.PENDING
    assert photo.cat_label == ""
    assert str(broken / "model.tflite") in photo.cat_label_error
    assert photo.cat_label_attempts == 0

    settings.CAT_MODEL_VERSION = ""  # fixed: the next run labels it
    label_photo.enqueue(photo.pk)
    photo.refresh_from_db()
    assert photo.cat_label_status == LabelStatus.LABELLED


@pytest.mark.django_db
def test_classify_photos_labels_what_is_not_labelled(member):
    pending = new_photo(member)
    failed = new_photo(member, cat_label_status=LabelStatus.FAILED)
    moderated = new_photo(member, cat_label="cat", cat_label_source="moderator")
    done = new_photo(member, cat_label="not_cat", cat_label_source="model")
    out = StringIO()

    call_command("classify_photos", "--unlabelled", stdout=out)

    assert "] 2/2" in out.getvalue()
    assert "Done: 2 labelled." in out.getvalue()
    for photo in (pending, failed, moderated, done):
        photo.refresh_from_db()
    assert pending.cat_label_status == failed.cat_label_status == LabelStatus.LABELLED
    assert done.cat_model_version == ""  # left alone
    assert moderated.cat_label_source == LabelSource.MODERATOR

    call_command("classify_photos", "--all", stdout=StringIO())

    done.refresh_from_db()
    moderated.refresh_from_db()
    assert done.cat_model_version == SHIPPED.version
    assert (moderated.cat_label, moderated.cat_score) == ("cat", None)


@pytest.mark.django_db
def test_the_classifier_is_loaded_once_per_process():
    assert labelling.get_classifier() is labelling.get_classifier()


@pytest.mark.django_db
def test_moderator_labels_as_training_data(member):
    cat = new_photo(member, cat_label="cat", cat_label_source="moderator")
    new_photo(member, cat_label="not_cat", cat_label_source="moderator")
    new_photo(member, cat_label="cat", cat_label_source="model")

    source = labelling.moderator_source()

    assert [(e.key, e.is_cat) for e in source.examples] == [
        (f"gallery-image-{cat.pk}", True),
        (f"gallery-image-{cat.pk + 1}", False),
    ]
    assert source.examples[0].read() == cat.file.open("rb").read()
    assert source.counts() == {"images": 2, "cat": 1, "not_cat": 1}


@pytest.mark.django_db(transaction=True)
def test_a_job_killed_mid_run_is_picked_up_when_the_worker_restarts(member, settings):
    """django-tasks-db leaves a killed job "running" for good; the photo stays
    pending and `task_worker` queues it again when it starts."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.TASKS_BACKEND = "database"
    photo = new_photo(member)  # committed: its job is queued
    [job] = DBTaskResult.objects.filter(task_path__endswith="label_photo")
    job.claim("worker-that-gets-killed")  # ... and the worker dies here

    call_command("task_worker", burst=True, stdout=StringIO(), verbosity=0)

    photo.refresh_from_db()
    jobs = list(
        DBTaskResult.objects.filter(task_path__endswith="label_photo").values_list(
            "status", "run_after", "return_value", "exception_class_path", "traceback"
        )
    )
    assert photo.cat_label_status == LabelStatus.LABELLED, (
        photo.cat_label_error,
        jobs,
    )
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING  # never rerun by django-tasks-db
    assert DBTaskResult.objects.filter(
        task_path__endswith="label_photo", status=TaskResultStatus.SUCCESSFUL
    ).exists()


def test_web_processes_do_not_load_the_classifier():
    script = (
        "import json, sys, django\n"
        "django.setup()\n"
        "import config.asgi, config.urls, gallery.labelling\n"
        "print(json.dumps([m for m in ('gallery.classifier', 'ai_edge_litert',"
        " 'tensorflow', 'numpy') if m in sys.modules]))\n"
    )
    # The embedded defaults (SQLite): config.asgi checks the services at import.
    result = run_python(
        "-c",
        script,
        scrub={"DATABASE_URL", "REDIS_URL"},
        DJANGO_SETTINGS_MODULE="config.settings.test",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
