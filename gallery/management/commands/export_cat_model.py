"""Export a trained cat model to TFLite again (needs TensorFlow)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gallery.classifier import ModelFileError
from gallery.classifier.data import read_folder
from gallery.management.commands._cat import base_weights, model_store


class Command(BaseCommand):
    help = (
        "Rebuild a version's Keras model (base weights + its head.npz) and export "
        "model.tflite again, calibrated on its training data; updates card.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--model", default="", help="Version (default: active).")
        parser.add_argument(
            "--data",
            action="append",
            type=Path,
            default=[],
            metavar="DIR",
            help="Training folders for int8 calibration (default: those in the card).",
        )
        parser.add_argument(
            "--quantization",
            choices=["int8", "dynamic", "float16", "float32"],
            default="int8",
        )
        parser.add_argument("--weights", type=Path)
        parser.add_argument("--threads", type=int, default=None)

    def handle(self, *args, **options):
        from gallery.classifier.training import reexport, representative_from_card

        store = model_store()
        try:
            model = store.active(options["model"])
        except ModelFileError as error:
            raise CommandError(str(error)) from None
        folders = options["data"] or [
            Path(entry["location"])
            for entry in model.card.get("data", [])
            if Path(entry["location"]).is_dir()
        ]
        if not folders:
            raise CommandError(
                f"{model.version}'s training folders are not here: give --data DIR."
            )
        sources = [read_folder(folder) for folder in folders]
        representative, validation = representative_from_card(model, sources)
        weights = base_weights(options["weights"], download=False)
        try:
            tflite = reexport(
                model,
                weights,
                representative,
                options["quantization"],
                validation=validation,
                num_threads=options["threads"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {model.path / tflite['file']} ({tflite['quantization']}, "
                f"{tflite['bytes'] / 1e6:.1f} MB)"
            )
        )
