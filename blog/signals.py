"""What happens around a post's life: moderation for every blog index, and a
post's date set to the day it first goes live."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from wagtail.signals import page_published

from blog.models import BlogIndexPage, BlogPage


@receiver(post_save, sender=BlogIndexPage, dispatch_uid="blog_index_moderation")
def moderate_new_blog_index(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from blog.services import set_up_moderation

        set_up_moderation(instance)


@receiver(page_published, sender=BlogPage, dispatch_uid="blog_post_date")
def date_first_publication(sender, instance, revision=None, **kwargs):
    """A member's post is dated the day a moderator published it, not the day
    its first draft was saved."""
    if (
        instance.first_published_at
        and instance.first_published_at == instance.last_published_at
    ):
        today = timezone.localdate()
        if instance.date != today:
            BlogPage.objects.filter(pk=instance.pk).update(date=today)
            instance.date = today
