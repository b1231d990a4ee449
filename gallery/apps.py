from django.apps import AppConfig


class GalleryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gallery"
    verbose_name = "Gallery"

    def ready(self):
        # Connects the receivers that queue new photos for the cat classifier
        # (labelling.py never imports the classifier itself at import time).
        from gallery import labelling  # noqa: F401

        self.register_comments()

    def register_comments(self):
        from django.urls import reverse

        from comments import registry
        from gallery.models import GalleryImage

        # Comments only on photos everyone may see: a hidden photo shows none
        # and takes none, even for its owner.
        registry.register(
            GalleryImage,
            is_visible=lambda photo, user: (
                GalleryImage.objects.photos().filter(pk=photo.pk).exists()
            ),
            url=lambda photo: reverse("gallery:photo_detail", args=[photo.pk]),
        )
