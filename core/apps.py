from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: shared blocks, template tags, context processors and the
    admin's Moderation menu. Imports no feature app; every feature may import it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from config import checks  # noqa: F401 - registers the service checks
