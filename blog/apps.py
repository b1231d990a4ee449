from django.apps import AppConfig


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from blog import notifications, signals  # noqa: F401 - connects the receivers

        notifications.connect()
        self.register_comments()

    def register_comments(self):
        from blog.models import BlogPage
        from comments import registry

        registry.register(
            BlogPage,
            is_visible=lambda post, user: post.is_public_and_live(),
            url=lambda post: post.url or "/",
            closed_reason=lambda post: (
                "" if post.comments_open else "Comments are closed on this post."
            ),
        )
