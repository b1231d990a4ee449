"""Train a new cat model version (needs TensorFlow: requirements-ml.txt)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gallery.classifier.data import read_folder
from gallery.management.commands._cat import base_weights


class Command(BaseCommand):
    help = (
        "Train a cat model on labelled folders (labels.csv + images/) and write a "
        "new version (model.tflite, head.npz, card.json) to CAT_MODEL_DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            action="append",
            type=Path,
            default=[],
            metavar="DIR",
            help="A folder with labels.csv (file,label,kind,…) and images/; repeatable.",
        )
        parser.add_argument(
            "--include-moderator-labels",
            action="store_true",
            help="Also train on the photos moderators labelled on the site.",
        )
        parser.add_argument(
            "--out", type=Path, help="Where to write the version (CAT_MODEL_DIR)."
        )
        parser.add_argument(
            "--epochs",
            type=int,
            default=25,
            help="Passes over the features to fit the head (Newton steps; it stops "
            "earlier once converged).",
        )
        parser.add_argument(
            "--weights",
            type=Path,
            help="MobileNetV2 weights (.h5): CAT_MODEL_WEIGHTS, else Keras' own.",
        )
        parser.add_argument(
            "--name", default="", help="The version name (default: cat-<UTC time>)."
        )
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--no-augment", action="store_true", help="Do not add mirrored images."
        )
        parser.add_argument(
            "--activate", action="store_true", help="Make the new version active."
        )
        parser.add_argument(
            "--threads", type=int, default=None, help="CPU threads TensorFlow uses."
        )

    def handle(self, *args, **options):
        from gallery.classifier.training import TrainingOptions, train

        sources = []
        for folder in options["data"]:
            try:
                sources.append(read_folder(folder))
            except (OSError, ValueError) as error:
                raise CommandError(str(error)) from None
        if options["include_moderator_labels"]:
            from gallery.labelling import moderator_source

            moderated = moderator_source()
            self.stdout.write(f"{len(moderated.examples)} moderator-labelled photos")
            if moderated.examples:
                sources.append(moderated)
        if not sources:
            raise CommandError("Nothing to train on: give --data DIR.")
        if options["epochs"] < 1:
            raise CommandError("--epochs must be at least 1.")
        weights = base_weights(options["weights"], download=True)
        training_options = TrainingOptions(
            epochs=options["epochs"],
            version=options["name"],
            augment=not options["no_augment"],
            num_threads=options["threads"],
            **({"seed": options["seed"]} if options["seed"] is not None else {}),
        )
        out = options["out"] or Path(settings.CAT_MODEL_DIR)
        try:
            model = train(
                sources, weights, out, training_options, log=self.stdout.write
            )
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        card = model.card
        validation = card["validation"]["keras"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Trained {model.version}: validation accuracy "
                f"{validation['accuracy']:.4f}, F1 {validation['f1']:.4f}, threshold "
                f"{card['threshold']}, LiteRT agreement "
                f"{card['runtime_agreement']['label_agreement']:.2%}, "
                f"{card['tflite']['bytes'] / 1e6:.1f} MB, "
                f"{card['training']['seconds']:.0f} s"
            )
        )
        if options["activate"]:
            from gallery.classifier import ModelStore

            ModelStore(out).activate(model.version)
            self.stdout.write(f"{model.version} is now the active cat model.")
