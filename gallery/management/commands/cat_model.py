"""List the cat model versions and choose the active one."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gallery.classifier import ModelFileError
from gallery.management.commands._cat import model_store


class Command(BaseCommand):
    help = "List cat model versions (--list) or make one active (--activate VERSION)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--list", action="store_true")
        group.add_argument("--activate", metavar="VERSION")

    def handle(self, *args, **options):
        store = model_store()
        try:
            if options["activate"]:
                marker = store.activate(options["activate"])
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{options['activate']} is the active cat model ({marker})."
                    )
                )
                if settings.CAT_MODEL_VERSION:
                    self.stdout.write(
                        f"Note: CAT_MODEL_VERSION={settings.CAT_MODEL_VERSION} "
                        "overrides it."
                    )
                return
            active = store.active_version(settings.CAT_MODEL_VERSION)
            for model in store.versions():
                card = model.card
                validation = card.get("validation", {}).get("keras", {})
                self.stdout.write(
                    f"{'*' if model.version == active else ' '} {model.version}  "
                    f"{'shipped ' if model.shipped else 'trained '}"
                    f"threshold {card['threshold']}  "
                    f"val acc {validation.get('accuracy', '?')}  "
                    f"f1 {validation.get('f1', '?')}  {model.path}"
                )
        except ModelFileError as error:
            raise CommandError(str(error)) from None
