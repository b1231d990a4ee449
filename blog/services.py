"""The rules of the blog, for every view that writes, submits or shows a post.

Members write on the public site; nothing they write goes live without a
moderator's approval through Wagtail's workflow ("Moderator approval", one
GroupApprovalTask for the Moderators group, assigned to the blog index). A
member may only see and change their own posts, may never publish, and cannot
change a post while it is in review (they withdraw it first).
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.utils.text import slugify

from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from accounts.models import MODERATORS_GROUP
from blog.markdown import parse, to_stream
from blog.models import BLOG_IMAGES_COLLECTION, RESERVED_SLUGS, BlogIndexPage, BlogPage
from core.images import ImageLimits, clean_image
from core.ratelimit import Rate, hit

logger = logging.getLogger(__name__)

WORKFLOW_NAME = "Moderator approval"
TASK_NAME = "Moderators approve blog posts"
MODERATOR_PAGE_PERMISSIONS = ("change_page", "publish_page", "unlock_page")


class BlogError(Exception):
    """A refused action, with a reason fit to show the member."""


# Setting up moderation


def moderation_workflow() -> Workflow:
    """The blog's workflow, with its one task (made by migration blog/0003)."""
    workflow, _ = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    if not workflow.workflow_tasks.exists():
        moderators = Group.objects.get(name=MODERATORS_GROUP)
        task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=TASK_NAME)
            task.groups.set([moderators])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def set_up_moderation(index: BlogIndexPage) -> None:
    """Assign the workflow to a blog index and give Moderators what they need on
    it: edit posts in review, publish (approve, or take a post down), unlock."""
    WorkflowPage.objects.update_or_create(
        page=index, defaults={"workflow": moderation_workflow()}
    )
    moderators = Group.objects.get(name=MODERATORS_GROUP)
    for codename in MODERATOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=moderators,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )


# Reading a member's posts


def blog_index() -> BlogIndexPage:
    index = BlogIndexPage.objects.live().first() or BlogIndexPage.objects.first()
    if index is None:
        raise BlogError(
            "The blog isn't set up yet: an editor must create the blog page first."
        )
    return index


def can_write(user) -> bool:
    return user.is_authenticated and user.is_active


def editable_post(user, post_id: int) -> BlogPage:
    """The member's own post with ``post_id``; 404 for anyone else's (whether it
    exists is nobody else's business)."""
    post = BlogPage.objects.filter(pk=post_id, owner=user).first()
    if post is None or not can_write(user):
        raise Http404("No post of yours has that number.")
    return post


def draft_of(post: BlogPage) -> BlogPage:
    """The post as its latest revision has it (what its author last saved)."""
    return post.get_latest_revision_as_object() if post.latest_revision_id else post


# A post's state, as its author sees it


@dataclass(frozen=True)
class PostState:
    """Where a post stands: "draft", "in_review", "changes_requested" or
    "published", plus what is waiting on top of a published post."""

    status: str
    live: bool
    since: datetime | None = None
    comment: str = ""
    reviewer: str = ""
    pending: str = (
        ""  # for a live post: "in_review", "changes_requested", "draft" or ""
    )

    @property
    def locked(self) -> bool:
        return self.status == "in_review" or self.pending == "in_review"


def _latest_states(posts) -> dict[int, WorkflowState]:
    """The latest workflow state of each post, in one query."""
    content_type = ContentType.objects.get_for_model(Page)
    states = (
        WorkflowState.objects.filter(
            base_content_type=content_type,
            object_id__in=[str(post.pk) for post in posts],
        )
        .select_related("current_task_state__finished_by")
        .order_by("created_at")
    )
    return {int(state.object_id): state for state in states}


def _state(post: BlogPage, workflow_state: WorkflowState | None) -> PostState:
    review, since, comment, reviewer = "", None, "", ""
    if (
        workflow_state is not None
        and workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    ):
        review = "in_review"
        task_state = workflow_state.current_task_state
        since = task_state.started_at if task_state else workflow_state.created_at
    elif (
        workflow_state is not None
        and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    ):
        review = "changes_requested"
        task_state = workflow_state.current_task_state
        if task_state is not None:
            since = task_state.finished_at
            comment = task_state.comment
            reviewer = (
                task_state.finished_by.get_display_name()
                if task_state.finished_by
                else ""
            )
    if post.live:
        pending = review or ("draft" if post.has_unpublished_changes else "")
        return PostState(
            "published",
            True,
            since=since,
            comment=comment,
            reviewer=reviewer,
            pending=pending,
        )
    return PostState(
        review or "draft", False, since=since, comment=comment, reviewer=reviewer
    )


def post_state(post: BlogPage) -> PostState:
    return _state(post, _latest_states([post]).get(post.pk))


MY_POSTS_PER_PAGE = 20


def my_posts(user, page_number=None):
    """A page of the member's posts, newest change first, each as (post, state)."""
    posts = (
        BlogPage.objects.filter(owner=user)
        .select_related("latest_revision", "listing_image")
        .prefetch_related("listing_image__renditions")
        .order_by("-latest_revision_created_at", "-pk")
    )
    page = Paginator(posts, MY_POSTS_PER_PAGE).get_page(page_number)
    states = _latest_states(page.object_list)
    page.object_list = [
        (post, _state(post, states.get(post.pk))) for post in page.object_list
    ]
    return page


# Writing


def check_rate(user) -> None:
    hit("blog-write", user.pk, Rate.parse(settings.BLOG_WRITE_RATE_LIMIT))


def image_limits() -> ImageLimits:
    return ImageLimits(
        max_bytes=settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
        max_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS,
    )


def clean_picture(upload):
    """A member's picture, checked and re-encoded (core/images.py)."""
    return clean_image(
        upload,
        limits=image_limits(),
        max_edge=settings.BLOG_IMAGE_MAX_EDGE,
        name="picture",
    )


def blog_images_collection():
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=BLOG_IMAGES_COLLECTION).first()
    return existing or root.add_child(instance=Collection(name=BLOG_IMAGES_COLLECTION))


def save_picture(user, clean, *, title: str, alt_text: str):
    """Store a cleaned picture as a Wagtail image the member owns."""
    from gallery.models import GalleryImage

    image = GalleryImage(
        title=(title or alt_text or "Picture")[:255],
        description=alt_text[:255],
        collection=blog_images_collection(),
        uploaded_by_user=user,
        file=clean.content,
    )
    image._set_image_file_metadata()
    image.save()
    return image


def usable_images(user, ids: set[int], post: BlogPage | None = None) -> dict:
    """The pictures ``ids`` names, if the member may use them: their own, or
    already in the post. BlogError names the first one they may not use."""
    from gallery.models import GalleryImage

    allowed = {
        image.pk: image
        for image in GalleryImage.objects.filter(pk__in=ids, uploaded_by_user=user)
    }
    if post is not None:
        in_post = {
            block.value["image"].pk
            for block in draft_of(post).body
            if block.block_type == "image" and block.value.get("image")
        }
        allowed.update(
            {
                image.pk: image
                for image in GalleryImage.objects.filter(pk__in=ids & in_post)
            }
        )
    missing = sorted(ids - set(allowed))
    if missing:
        raise BlogError(
            f"The picture image:{missing[0]} isn't one of yours; add pictures with “Add a picture”."
        )
    return allowed


@dataclass
class Draft:
    """What the writing form hands over, already validated."""

    title: str
    intro: str
    tags: list[str]
    body: str  # Markdown
    listing_picture: object = None  # a core.images.CleanImage
    remove_listing_image: bool = False
    picture: object = None  # one more picture to add at the end of the body
    picture_alt: str = ""
    picture_caption: str = ""


def _unique_slug(index: BlogIndexPage, title: str, post: BlogPage | None = None) -> str:
    base = slugify(title)[:60].strip("-") or "post"
    if base in RESERVED_SLUGS:
        base = f"{base}-post"
    taken = set(
        index.get_children()
        .filter(slug__startswith=base)
        .exclude(pk=getattr(post, "pk", None))
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _apply(
    user, page: BlogPage, draft: Draft, existing: BlogPage | None, saved_files: list
) -> None:
    """Copy the draft onto ``page`` (a new page or the latest revision's object)."""
    body = draft.body
    if draft.picture is not None:
        image = save_picture(
            user,
            draft.picture,
            title=draft.picture_caption or draft.title,
            alt_text=draft.picture_alt,
        )
        saved_files.append(image.file.name)
        caption = draft.picture_caption.replace('"', "'")
        body = (
            body.rstrip()
            + f"\n\n![{draft.picture_alt}](image:{image.pk}{f' {chr(34)}{caption}{chr(34)}' if caption else ''})\n"
        )
    blocks = parse(body)
    ids = {value.image_id for kind, value in blocks if kind == "image"}
    images = usable_images(user, ids, existing) if ids else {}
    page.title = draft.title
    page.draft_title = draft.title
    page.intro = draft.intro
    page.body = to_stream(blocks, images)
    if draft.listing_picture is not None:
        image = save_picture(
            user, draft.listing_picture, title=draft.title, alt_text=draft.title
        )
        saved_files.append(image.file.name)
        page.listing_image = image
    elif draft.remove_listing_image:
        page.listing_image = None
    page.authors = [user] + [
        author for author in page.authors.all() if author.pk != user.pk
    ]
    page.tags.set(draft.tags)


def save_draft(user, draft: Draft, post: BlogPage | None = None) -> BlogPage:
    """Create the member's post, or save a new revision of it; never publishes.

    Everything is written in one transaction; pictures saved to storage on the
    way are deleted again if it fails, so a refused post leaves nothing behind.
    """
    if not can_write(user):
        raise PermissionDenied
    if post is not None:
        if post.owner_id != user.pk:
            raise Http404
        if post_state(post).locked:
            raise BlogError(
                "This post is in review, so it can't be changed now. Withdraw it from review to edit it."
            )
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            if post is None:
                index = blog_index()
                page = BlogPage(owner=user, live=False, slug="post")
                _apply(user, page, draft, None, saved_files)
                page.slug = _unique_slug(index, draft.title)
                index.add_child(instance=page)
                page.save_revision(user=user, log_action=True)
                return page
            page = draft_of(post)
            _apply(user, page, draft, post, saved_files)
            if not post.live:
                page.slug = _unique_slug(post.get_parent(), draft.title, post)
            page.save_revision(user=user, log_action=True)
            return BlogPage.objects.get(pk=post.pk)
    except Exception:
        from django.core.files.storage import default_storage

        for name in saved_files:
            default_storage.delete(name)
        raise


def create_once(user, token: str, create) -> BlogPage:
    """Run ``create`` once per form token: a double-clicked "save" makes one post.

    The first request claims the token in the cache (atomic add); a second one
    with the same token waits briefly for the first, then returns its post.
    """
    try:
        uuid.UUID(token)
    except (ValueError, TypeError):
        return create()
    key = f"blog:create:{user.pk}:{token}"
    if cache.add(key, "pending", timeout=3600):
        try:
            post = create()
        except Exception:
            cache.delete(key)
            raise
        cache.set(key, post.pk, timeout=3600)
        return post
    for _ in range(50):
        value = cache.get(key)
        if isinstance(value, int):
            return BlogPage.objects.get(pk=value, owner=user)
        if value is None:
            return create()
        import time

        time.sleep(0.1)
    raise BlogError(
        "Your post is still being saved; please reload the page in a moment."
    )


# Review


def submit_for_review(user, post: BlogPage) -> WorkflowState:
    """Send the post's latest revision to the moderators, through Wagtail's
    workflow (it appears in their "Awaiting your review" panel and Wagtail emails
    them). After a request for changes, the same workflow resumes."""
    if post.owner_id != user.pk or not can_write(user):
        raise Http404
    state = post.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise BlogError("This post is already in review.")
    if not post.has_unpublished_changes:
        raise BlogError(
            "There is nothing new to review: the post is published as it is."
        )
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
        return state
    workflow = post.get_workflow()
    if workflow is None or not workflow.workflow_tasks.exists():
        # A workflow without tasks would publish at once with the member's rights.
        logger.error("Blog post %s has no moderation workflow with a task", post.pk)
        raise BlogError("Posts can't be reviewed right now; please try again later.")
    return workflow.start(post, user)


def withdraw(user, post: BlogPage) -> None:
    """Take the post out of review so its author can change it."""
    if post.owner_id != user.pk:
        raise Http404
    state = post.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        raise BlogError("This post isn't in review.")
    state.cancel(user=user)


def review_comment(task_state: TaskState) -> str:
    return task_state.comment if task_state else ""
