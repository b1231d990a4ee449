"""Score a cat model version on a labelled folder."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gallery.classifier import RUNTIMES, ClassifierError, load_classifier
from gallery.classifier.data import read_labels_csv
from gallery.classifier.evaluation import evaluate


class Command(BaseCommand):
    help = (
        "Classify every image of a labelled set one at a time and print accuracy, "
        "precision, recall, F1 and milliseconds per image (decode included). With "
        "--json the last line is one JSON object."
    )

    def add_arguments(self, parser):
        parser.add_argument("--images", type=Path, required=True, metavar="DIR")
        parser.add_argument(
            "--labels", type=Path, required=True, metavar="CSV", help="file,label,…"
        )
        parser.add_argument("--model", default="", help="Version (default: active).")
        parser.add_argument(
            "--runtime", choices=RUNTIMES, default=None, help="CAT_CLASSIFIER_RUNTIME"
        )
        parser.add_argument(
            "--threads", type=int, default=1, help="CPU threads (default 1)."
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        runtime = options["runtime"] or settings.CAT_CLASSIFIER_RUNTIME
        try:
            examples = read_labels_csv(options["labels"], options["images"])
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Cannot read the labelled set: {error}") from None
        if not examples:
            raise CommandError(f"{options['labels']} lists no images.")
        try:
            classifier = load_classifier(
                options["model"] or settings.CAT_MODEL_VERSION,
                runtime=runtime,
                model_dir=Path(settings.CAT_MODEL_DIR),
                weights=Path(settings.CAT_MODEL_WEIGHTS)
                if settings.CAT_MODEL_WEIGHTS
                else None,
                num_threads=options["threads"],
            )
            result = evaluate(classifier, examples)
        except (ClassifierError, OSError) as error:
            raise CommandError(str(error)) from None
        summary = result.summary(runtime, classifier.version)
        m = result.metrics
        self.stdout.write(
            f"{classifier.version} ({runtime}) on {m.n} images: accuracy "
            f"{m.accuracy:.4f}, precision {m.precision:.4f}, recall {m.recall:.4f}, "
            f"F1 {m.f1:.4f} at threshold {m.threshold}; "
            f"{result.ms_per_image:.1f} ms per image"
        )
        self.stdout.write(
            f"  cats: {m.true_positives} found, {m.false_negatives} missed; "
            f"not cats: {m.true_negatives} right, {m.false_positives} called cats"
        )
        for example, prediction in result.mistakes():
            self.stdout.write(
                f"  wrong: {example.key} is {'cat' if example.is_cat else 'not_cat'}"
                f" ({example.kind}), score {prediction.score:.3f}, top class "
                f"{prediction.top_classes[0][0]}"
            )
        if options["json"]:
            self.stdout.write(json.dumps(summary))
