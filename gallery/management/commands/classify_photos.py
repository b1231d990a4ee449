"""Label member photos with the cat classifier, here and now (no task queue)."""

from django.core.management.base import BaseCommand, CommandError

from gallery.classifier import ModelFileError
from gallery.labelling import Outcome, get_classifier, label_image
from gallery.models import GalleryImage, LabelSource, LabelStatus

BAR = 30


class Command(BaseCommand):
    help = (
        "Label member photos with the cat classifier: those not labelled yet "
        "(--unlabelled, the default: pending or failed) or all of them (--all). "
        "Moderators' labels are never changed. Each photo is saved as it is done, "
        "so an interrupted run loses nothing: run it again."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--unlabelled", action="store_true")
        group.add_argument("--all", action="store_true")
        parser.add_argument("--model", default="", help="Version (default: active).")

    def handle(self, *args, **options):
        try:
            classifier = get_classifier(options["model"])
        except ModelFileError as error:
            raise CommandError(str(error)) from None
        photos = GalleryImage.objects.photos().exclude(
            cat_label_source=LabelSource.MODERATOR
        )
        if not options["all"]:
            photos = photos.exclude(cat_label_status=LabelStatus.LABELLED)
        ids = list(photos.order_by("pk").values_list("pk", flat=True))
        self.stdout.write(
            f"Labelling {len(ids)} photo(s) with {classifier.version} "
            f"({classifier.runtime.name})"
        )
        counts: dict[str, int] = {}
        for done, image_id in enumerate(ids, start=1):
            image = GalleryImage.objects.filter(pk=image_id).first()
            outcome = (
                label_image(image, classifier) if image is not None else Outcome.GONE
            )
            counts[outcome.value] = counts.get(outcome.value, 0) + 1
            filled = BAR * done // len(ids)
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{len(ids)}",
                ending="",
            )
            self.stdout.flush()
        if ids:
            self.stdout.write("")
        summary = ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Done: {summary or 'nothing to do'}."))
