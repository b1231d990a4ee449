"""The bridge between the cat classifier (gallery/classifier/) and GalleryImage.

- A member photo created without a label (an upload, the admin, demo data) is
  `pending`; `request_labelling` queues the `label_photo` task once the transaction
  commits. Upload code calls it explicitly; a post_save receiver covers the rest.
- `label_photo` runs in the task worker, which loads the classifier once per process
  (`get_classifier`); web processes never import the classifier or its runtime.
- A moderator's label is never overwritten: the classifier's result is written by one
  conditional UPDATE that skips rows whose label came from a moderator, so a moderator
  labelling the photo meanwhile wins the race.
- Failures: an image that cannot be decoded is `failed` at once, with the reason.
  Storage errors reading the file and runtime errors of the model are retried (a new
  job, 30 s later where the backend can defer) up to CAT_LABEL_MAX_ATTEMPTS times in
  all, then `failed` with the last reason. A missing or wrong model file labels
  nothing: the photo stays `pending` (the error is noted) and the task fails loudly.
  Any other exception fails the job and leaves the photo `pending` for the next sweep.
- Nothing is lost when a worker dies: a job killed mid-run stays "running" in
  django-tasks-db's table and is never picked up again, but its photo is still
  `pending`. `requeue_pending` (run by `manage.py task_worker` at start) and
  `manage.py classify_photos --unlabelled` label every pending photo again; a photo
  labelled twice is harmless, as the task skips photos that are no longer pending.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from wagtail.search import index

from django_tasks import task

from gallery.models import CatLabel, GalleryImage, LabelSource, LabelStatus

if TYPE_CHECKING:
    from gallery.classifier import CatClassifier, Prediction
    from gallery.classifier.data import DataSource

logger = logging.getLogger(__name__)

RETRY_DELAY = dt.timedelta(seconds=30)


class Outcome(StrEnum):
    LABELLED = "labelled"
    MODERATOR = "moderator label kept"
    NOT_PENDING = "not pending"
    RETRY = "will retry"
    FAILED = "failed"
    GONE = "image deleted"


# The classifier, loaded once per process (the task worker's), keyed by what it was
# loaded from, so activating another version takes effect without a restart.
_classifier: CatClassifier | None = None
_classifier_key: tuple[str, ...] = ()
_classifier_lock = threading.Lock()


def get_classifier(version: str = "") -> CatClassifier:
    """The classifier of ``version`` (default: CAT_MODEL_VERSION, else the active
    one) with CAT_CLASSIFIER_RUNTIME. Raises ModelFileError naming the file if the
    model (or, for "keras", the base weights) is missing or wrong."""
    global _classifier, _classifier_key
    from gallery.classifier import ModelStore, load_classifier

    model_dir = Path(settings.CAT_MODEL_DIR)
    version = ModelStore(model_dir).active_version(
        version or settings.CAT_MODEL_VERSION
    )
    runtime = settings.CAT_CLASSIFIER_RUNTIME
    key = (version, runtime, str(model_dir), settings.CAT_MODEL_WEIGHTS)
    with _classifier_lock:
        if _classifier is None or _classifier_key != key:
            _classifier = load_classifier(
                version,
                runtime=runtime,
                model_dir=model_dir,
                weights=Path(settings.CAT_MODEL_WEIGHTS)
                if settings.CAT_MODEL_WEIGHTS
                else None,
            )
            _classifier_key = key
            logger.info("Loaded cat model %s (%s)", version, runtime)
        return _classifier


def forget_classifier() -> None:
    """Drop the cached classifier (tests, or to free its memory)."""
    global _classifier, _classifier_key
    with _classifier_lock:
        _classifier, _classifier_key = None, ()


def is_member_photo(image: GalleryImage) -> bool:
    return GalleryImage.objects.uploads().filter(pk=image.pk).exists()


def _not_moderated(image_id: int):
    return GalleryImage.objects.filter(pk=image_id).exclude(
        cat_label_source=LabelSource.MODERATOR
    )


def request_labelling(image: GalleryImage) -> bool:
    """Mark the photo pending and queue `label_photo` for it once the current
    transaction commits. Photos a moderator labelled are left alone (False)."""
    if image.cat_label_source == LabelSource.MODERATOR:
        return False
    _not_moderated(image.pk).update(
        cat_label_status=LabelStatus.PENDING, cat_label_attempts=0, cat_label_error=""
    )
    image.cat_label_status = LabelStatus.PENDING
    image.cat_label_attempts = 0
    image.cat_label_error = ""
    # robust: a queue that is down must not break the upload; the photo stays
    # pending and the next sweep (requeue_pending) queues it again.
    transaction.on_commit(partial(_enqueue, image.pk), robust=True)
    return True


def _enqueue(image_id: int, run_after: dt.datetime | None = None) -> None:
    labeller = label_photo
    if run_after is not None and labeller.get_backend().supports_defer:
        labeller = labeller.using(run_after=run_after)
    labeller.enqueue(image_id)


def requeue_pending() -> int:
    """Queue `label_photo` again for every pending member photo (after a worker was
    killed, or a model file fixed). Returns how many were queued."""
    pending = list(
        GalleryImage.objects.uploads()
        .filter(cat_label_status=LabelStatus.PENDING)
        .exclude(cat_label_source=LabelSource.MODERATOR)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for image_id in pending:
        label_photo.enqueue(image_id)
    return len(pending)


def set_moderator_label(image: GalleryImage, label: str) -> None:
    """A moderator's verdict: it replaces the classifier's and is never overwritten."""
    image.cat_label = CatLabel(label)
    image.cat_label_source = LabelSource.MODERATOR
    image.cat_labelled_at = timezone.now()
    image.cat_label_status = LabelStatus.LABELLED
    image.cat_label_error = ""
    image.cat_label_suggestion = ""  # the owner's note has been looked at
    image.save(
        update_fields=[
            "cat_label",
            "cat_label_source",
            "cat_labelled_at",
            "cat_label_status",
            "cat_label_error",
            "cat_label_suggestion",
        ]
    )
    _announce(image.pk)


def _read(image: GalleryImage) -> bytes:
    with image.open_file() as file:
        return file.read()


def _save_prediction(image_id: int, prediction: Prediction) -> bool:
    """Write the classifier's label unless a moderator's is there (one UPDATE, so a
    moderator who labels the photo meanwhile is never overwritten)."""
    label = CatLabel.CAT if prediction.is_cat else CatLabel.NOT_CAT
    updated = _not_moderated(image_id).update(
        cat_label=label,
        cat_model_label=label,
        cat_score=prediction.score,
        cat_label_source=LabelSource.MODEL,
        cat_model_version=prediction.model_version,
        cat_labelled_at=timezone.now(),
        cat_label_status=LabelStatus.LABELLED,
        cat_label_error="",
        cat_label_attempts=F("cat_label_attempts") + 1,
        cat_top_classes=[
            [name, probability] for name, probability in prediction.top_classes
        ],
    )
    if updated:
        # update() sends no post_save: refresh the search index's copy (cat_label is
        # a search filter field) as Wagtail's own signal handler would.
        index.insert_or_update_object(GalleryImage.objects.get(pk=image_id))
        _announce(image_id)
    return bool(updated)


def _record_failure(image: GalleryImage, reason: str, *, final: bool) -> None:
    status = LabelStatus.FAILED if final else LabelStatus.PENDING
    _not_moderated(image.pk).update(
        cat_label_status=status,
        cat_label_error=reason[:2000],
        cat_label_attempts=F("cat_label_attempts") + 1,
    )
    if final:
        _announce(image.pk)


def _announce(image_id: int) -> None:
    """Tell the owner's open pages the new label once committed (gallery/live.py);
    a channel layer that is down never fails the labelling."""
    from gallery.live import announce_label

    transaction.on_commit(partial(announce_label, image_id), robust=True)


def label_image(
    image: GalleryImage,
    classifier: CatClassifier,
    *,
    max_attempts: int | None = None,
) -> Outcome:
    """Classify one image and store the result (the one code path for the task and
    `classify_photos`). ModelFileError is not caught: nothing is labelled with a
    broken model."""
    from gallery.classifier import UnreadableImageError, open_image

    if image.cat_label_source == LabelSource.MODERATOR:
        return Outcome.MODERATOR
    max_attempts = max_attempts or settings.CAT_LABEL_MAX_ATTEMPTS
    final = image.cat_label_attempts + 1 >= max_attempts
    try:
        data = _read(image)
    except OSError as error:
        reason = f"could not read {image.file.name}: {error}"
        _record_failure(image, reason, final=final)
        logger.warning("Cat labelling of image %s: %s", image.pk, reason)
        return Outcome.FAILED if final else Outcome.RETRY
    try:
        prediction = classifier.classify(open_image(data))
    except UnreadableImageError as error:
        _record_failure(image, f"{image.file.name}: {error}", final=True)
        return Outcome.FAILED
    except (MemoryError, RuntimeError, ValueError) as error:
        # Not the image's fault as far as we can tell: try again, a few times.
        reason = f"classifier error: {type(error).__name__}: {error}"
        _record_failure(image, reason, final=final)
        logger.warning("Cat labelling of image %s: %s", image.pk, reason)
        return Outcome.FAILED if final else Outcome.RETRY
    if not _save_prediction(image.pk, prediction):
        return Outcome.MODERATOR
    return Outcome.LABELLED


@task()
def label_photo(image_id: int) -> str:
    """Label one pending photo (the task worker's job)."""
    from gallery.classifier import ModelFileError

    image = GalleryImage.objects.filter(pk=image_id).first()
    if image is None:
        return Outcome.GONE.value
    if image.cat_label_source == LabelSource.MODERATOR:
        return Outcome.MODERATOR.value
    if image.cat_label_status != LabelStatus.PENDING:
        return Outcome.NOT_PENDING.value  # labelled meanwhile (a duplicate job)
    try:
        classifier = get_classifier()
    except ModelFileError as error:
        # Label nothing with a broken model: the photo stays pending, with the
        # reason to see; the task fails with the file's name.
        _not_moderated(image_id).update(cat_label_error=f"model unavailable: {error}")
        logger.error("Cat labelling of image %s stopped: %s", image_id, error)
        raise
    outcome = label_image(image, classifier)
    if outcome == Outcome.RETRY:
        _enqueue(image_id, run_after=timezone.now() + RETRY_DELAY)
    return outcome.value


def moderator_source() -> DataSource:
    """Every image a moderator labelled, as training data (read via the storage)."""
    from gallery.classifier.data import DataSource, Example

    images = (
        GalleryImage.objects.filter(cat_label_source=LabelSource.MODERATOR)
        .exclude(cat_label="")
        .order_by("pk")
    )
    examples = tuple(
        Example(
            key=f"gallery-image-{image.pk}",
            is_cat=image.cat_label == CatLabel.CAT,
            kind="cat" if image.cat_label == CatLabel.CAT else "other",
            read=_reader(image),
        )
        for image in images
    )
    return DataSource(
        name="moderator-labels",
        location="GalleryImage with cat_label_source=moderator",
        examples=examples,
    )


def _reader(image: GalleryImage) -> Callable[[], bytes]:
    return partial(_read, image)


@receiver(pre_save, sender=GalleryImage)
def _labelled_on_arrival(sender, instance: GalleryImage, raw=False, **kwargs):
    """An image created with a label already (demo data, imports) is not pending."""
    if (
        instance._state.adding
        and instance.cat_label
        and instance.cat_label_status == LabelStatus.PENDING
    ):
        instance.cat_label_status = LabelStatus.LABELLED


@receiver(post_save, sender=GalleryImage)
def _label_new_photos(sender, instance: GalleryImage, created, raw=False, **kwargs):
    """New member photos (admin uploads, demo data, any code path) get labelled."""
    if (
        created
        and not raw
        and instance.cat_label_status == LabelStatus.PENDING
        and is_member_photo(instance)
    ):
        request_labelling(instance)


# What the admin's model report needs, read without loading the classifier (web
# processes never import gallery.classifier): the active model's card.

SHIPPED_MODELS = Path(__file__).resolve().parent / "classifier" / "models"


def active_model_card() -> dict:
    """The active model's card.json as a dict ({} if it cannot be read)."""
    import json

    folders = [Path(settings.CAT_MODEL_DIR), SHIPPED_MODELS]
    version = settings.CAT_MODEL_VERSION
    for folder in folders:
        marker = folder / "ACTIVE"
        if version:
            break
        if marker.is_file():
            version = marker.read_text(encoding="utf-8").strip()
    for folder in folders:
        card = folder / version / "card.json"
        if version and card.is_file():
            try:
                return json.loads(card.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return {}
    return {}
