from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Comments on blog posts and photos, built on django-comments-xtd."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from django.db.models.signals import pre_save

        from django_comments_xtd.models import publish_or_unpublish_on_pre_save

        # xtd unpublishes every reply of a removed comment; here a removed comment
        # leaves a placeholder and its replies stay, so the thread stays readable.
        pre_save.disconnect(
            publish_or_unpublish_on_pre_save, sender="django_comments_xtd.XtdComment"
        )
