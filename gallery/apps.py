from django.apps import AppConfig


class GalleryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gallery"
    verbose_name = "Gallery"

    def ready(self):
        # Connects the receivers that queue new photos for the cat classifier
        # (labelling.py never imports the classifier itself at import time).
        from gallery import labelling  # noqa: F401
