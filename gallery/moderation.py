"""What the moderators' admin views show: reported photos, cat labels to check,
and how each model version did against the moderators' labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q
from django.utils.dateparse import parse_datetime

from gallery.labelling import active_model_card
from gallery.models import CatLabel, GalleryImage, LabelSource, LabelStatus

SCORE_BANDS = {
    "0-20": (0.0, 0.2),
    "20-40": (0.2, 0.4),
    "40-60": (0.4, 0.6),
    "60-80": (0.6, 0.8),
    "80-100": (0.8, 1.01),
}


def label_queue(filters: dict):
    """Member photos for the "Cat labels" list, uncertain ones first."""
    photos = GalleryImage.objects.uploads()
    label = filters.get("label")
    if label in CatLabel.values:
        photos = photos.filter(cat_label=label)
    elif label == "none":
        photos = photos.filter(cat_label="")
    source = filters.get("source")
    if source in LabelSource.values:
        photos = photos.filter(cat_label_source=source)
    band = SCORE_BANDS.get(filters.get("band", ""))
    if band:
        photos = photos.filter(cat_score__gte=band[0], cat_score__lt=band[1])
    if filters.get("suggested") == "yes":
        photos = photos.exclude(cat_label_suggestion="")
    status = filters.get("status")
    if status in LabelStatus.values:
        photos = photos.filter(cat_label_status=status)
    return (
        photos.select_related("uploaded_by_user")
        .prefetch_renditions("fill-80x80")
        .uncertain_first()
    )


@dataclass(frozen=True)
class VersionReport:
    """One model version against the moderators' labels (the photos a moderator
    labelled after the model had)."""

    version: str
    labelled: int
    checked: int
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float | None:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else None

    @property
    def corrections(self) -> int:
        return self.false_positives + self.false_negatives


def _confusion(model: str, moderator: str) -> Q:
    return Q(
        cat_label_source=LabelSource.MODERATOR,
        cat_model_label=model,
        cat_label=moderator,
    )


def version_reports() -> list[VersionReport]:
    rows = (
        GalleryImage.objects.exclude(cat_model_version="")
        .values("cat_model_version")
        .annotate(
            labelled=Count("pk"),
            checked=Count(
                "pk",
                filter=Q(cat_label_source=LabelSource.MODERATOR)
                & ~Q(cat_model_label=""),
            ),
            tp=Count("pk", filter=_confusion(CatLabel.CAT, CatLabel.CAT)),
            fp=Count("pk", filter=_confusion(CatLabel.CAT, CatLabel.NOT_CAT)),
            fn=Count("pk", filter=_confusion(CatLabel.NOT_CAT, CatLabel.CAT)),
            tn=Count("pk", filter=_confusion(CatLabel.NOT_CAT, CatLabel.NOT_CAT)),
        )
        .order_by("-cat_model_version")
    )
    return [
        VersionReport(
            version=row["cat_model_version"],
            labelled=row["labelled"],
            checked=row["checked"],
            true_positives=row["tp"],
            false_positives=row["fp"],
            false_negatives=row["fn"],
            true_negatives=row["tn"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class TrainingBacklog:
    """Moderator labels the active model has not learnt from yet."""

    version: str
    trained_at: datetime | None
    used_moderator_labels: bool
    waiting: int
    corrections: int


def training_backlog() -> TrainingBacklog:
    card = active_model_card()
    trained_at = parse_datetime(card.get("created", "") or "")
    used = any(
        source.get("name") == "moderator-labels" for source in card.get("data", [])
    )
    labels = GalleryImage.objects.filter(cat_label_source=LabelSource.MODERATOR)
    if used and trained_at:
        labels = labels.filter(cat_labelled_at__gt=trained_at)
    counts = labels.aggregate(
        waiting=Count("pk"),
        corrections=Count(
            "pk", filter=~Q(cat_model_label="") & ~Q(cat_model_label=F("cat_label"))
        ),
    )
    return TrainingBacklog(
        version=card.get("version", ""),
        trained_at=trained_at,
        used_moderator_labels=used,
        waiting=counts["waiting"],
        corrections=counts["corrections"],
    )
