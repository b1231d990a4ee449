"""The rules of comments, for every view that shows, posts or moderates them.

Comments are django-comments-xtd's XtdComment rows, threaded up to
COMMENTS_MAX_DEPTH levels. Only signed-in, active members post; only on objects
their feature says are visible and open (comments/registry.py). Comment text is
plain text: it is stored as typed and escaped when shown.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from accounts.models import MODERATORS_GROUP
from comments import registry
from core.ratelimit import Rate, RateLimited, hit

logger = logging.getLogger(__name__)

AUTHOR_DELETION_FLAG = "deleted by author"
REVIEWED_FLAG = CommentFlag.MODERATOR_APPROVAL


class CommentError(Exception):
    """A refused comment action, with a reason fit to show and an HTTP status."""

    retry_after: int | None = None

    def __init__(self, reason: str, status: int = 400):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def max_depth() -> int:
    return settings.COMMENTS_XTD_MAX_THREAD_LEVEL + 1


# Which object, and may this person see or comment on it?


def target(key: str, object_pk) -> tuple[registry.Commentable, object]:
    entry = registry.get(key)
    if entry is None:
        raise Http404("Nothing takes comments there.")
    obj = entry.model._default_manager.filter(pk=object_pk).first()
    if obj is None:
        raise Http404("No such thing to comment on.")
    return entry, obj


def can_view(user, obj) -> bool:
    entry = registry.for_object(obj)
    return entry is not None and entry.is_visible(obj, user)


def url_of(obj) -> str:
    entry = registry.for_object(obj)
    return entry.url(obj) if entry else "/"


def closed_reason(obj) -> str:
    entry = registry.for_object(obj)
    return entry.closed_reason(obj) if entry else "Comments are not open here."


def comments_for(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return XtdComment.norel_objects.filter(
        content_type=content_type, object_pk=str(obj.pk)
    )


# Reading a thread


@dataclass
class Node:
    """One comment in a thread, with what the page shows about it."""

    comment: XtdComment
    likes: int = 0
    liked: bool = False
    flagged: bool = False
    deleted_by_author: bool = False
    children: list["Node"] = field(default_factory=list)
    depth: int = 1
    editable: bool = False
    url: str = ""  # the base of its actions: <url>like/, <url>flag/, …
    author_url: str = ""

    @property
    def removed(self) -> bool:
        return self.comment.is_removed


def flatten(nodes: list[Node], depth: int = 1) -> list[Node]:
    """The thread in reading order, each node knowing its depth, so a page draws
    it in one loop rather than a template per comment."""
    flat = []
    for node in nodes:
        node.depth = depth
        flat.append(node)
        flat.extend(flatten(node.children, depth + 1))
    return flat


@dataclass
class ThreadPage:
    """A page of a thread: whole conversations (a comment and all its replies),
    COMMENTS_THREADS_PER_PAGE of them, in reading order."""

    nodes: list[Node]
    page: int
    has_more: bool

    @property
    def flat(self) -> list[Node]:
        return flatten(self.nodes)

    @property
    def next_page(self) -> int:
        return self.page + 1


def count_shown(obj) -> int:
    return comments_for(obj).filter(is_public=True, is_removed=False).count()


def thread(obj, user, *, first_page: int = 1, last_page: int = 1) -> ThreadPage:
    """Pages ``first_page`` to ``last_page`` of the comments on ``obj``, as a
    tree, in two queries however many comments there are.

    Removed comments are left out, unless they have replies still shown: then
    they stay as a placeholder so the thread reads in order.
    """
    per_page = settings.COMMENTS_THREADS_PER_PAGE
    first_page, last_page = max(1, first_page), max(1, first_page, last_page)
    start, stop = (first_page - 1) * per_page, last_page * per_page
    thread_ids = list(
        comments_for(obj)
        .filter(is_public=True, level=0)
        .order_by("thread_id")
        .values_list("thread_id", flat=True)[start : stop + 1]
    )
    has_more = len(thread_ids) > stop - start
    thread_ids = thread_ids[: stop - start]
    user_id = user.pk if user.is_authenticated else None
    comments = (
        comments_for(obj)
        .filter(is_public=True, thread_id__in=thread_ids)
        .select_related("user")
        .annotate(
            likes=Count("flags", filter=Q(flags__flag=LIKEDIT_FLAG), distinct=True),
            liked=Exists(
                CommentFlag.objects.filter(
                    comment=OuterRef("pk"), flag=LIKEDIT_FLAG, user_id=user_id
                )
            ),
            flagged=Exists(
                CommentFlag.objects.filter(
                    comment=OuterRef("pk"),
                    flag=CommentFlag.SUGGEST_REMOVAL,
                    user_id=user_id,
                )
            ),
            by_author=Exists(
                CommentFlag.objects.filter(
                    comment=OuterRef("pk"), flag=AUTHOR_DELETION_FLAG
                )
            ),
        )
        .order_by("thread_id", "order")
    )
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    # Addresses built once, not reversed for every comment of a long thread.
    actions_root = reverse("comments:like", args=[0]).removesuffix("0/like/")
    author_urls: dict[int, str] = {}
    for comment in comments:
        node = Node(
            comment, comment.likes, comment.liked, comment.flagged, comment.by_author
        )
        node.editable = can_edit(user, comment)
        node.url = f"{actions_root}{comment.pk}/"
        if comment.user_id:
            if comment.user_id not in author_urls:
                author_urls[comment.user_id] = comment.user.get_absolute_url()
            node.author_url = author_urls[comment.user_id]
        nodes[comment.pk] = node
        parent = (
            nodes.get(comment.parent_id) if comment.parent_id != comment.pk else None
        )
        (parent.children if parent else roots).append(node)

    def prune(siblings: list[Node]) -> list[Node]:
        kept = []
        for node in siblings:
            node.children = prune(node.children)
            if not node.removed or node.children:
                kept.append(node)
        return kept

    return ThreadPage(prune(roots), last_page, has_more)


def count_subquery(model):
    """A subquery counting the shown comments of each row of ``model``, to
    annotate listings (post cards, photo tiles) in the same query."""
    content_type = ContentType.objects.get_for_model(model)
    return Coalesce(
        Subquery(
            XtdComment.norel_objects.filter(
                content_type=content_type,
                object_pk=Cast(OuterRef("pk"), CharField()),
                is_public=True,
                is_removed=False,
            )
            .order_by()
            .values("object_pk")
            .annotate(count=Count("pk"))
            .values("count"),
            output_field=IntegerField(),
        ),
        0,
    )


def with_comment_counts(queryset):
    return queryset.annotate(comment_count=count_subquery(queryset.model))


# Posting


def _check_member(user) -> None:
    if not user.is_authenticated:
        raise CommentError("Log in to comment.", status=403)
    if not user.is_active:
        raise CommentError("This account cannot comment.", status=403)


def _check_open(user, obj) -> None:
    if not can_view(user, obj):
        raise CommentError("You can't comment here.", status=403)
    reason = closed_reason(obj)
    if reason:
        raise CommentError(reason, status=403)


def clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise CommentError("A comment can't be empty.")
    limit = settings.COMMENT_MAX_LENGTH
    if len(text) > limit:
        raise CommentError(
            f"A comment can be at most {limit} characters; yours has {len(text)}."
        )
    return text


def post_comment(
    user,
    obj,
    text: str,
    *,
    parent_id: int | None = None,
    followup: bool = False,
    ip: str | None = None,
) -> XtdComment:
    """Check and save a comment (or a reply); CommentError says why not."""
    _check_member(user)
    _check_open(user, obj)
    text = clean_text(text)
    content_type = ContentType.objects.get_for_model(obj)
    parent = None
    if parent_id:
        parent = XtdComment.norel_objects.filter(pk=parent_id).first()
        if (
            parent is None
            or parent.content_type_id != content_type.pk
            or parent.object_pk != str(obj.pk)
        ):
            raise CommentError("That reply belongs to another thread.")
        if not parent.is_public or parent.is_removed:
            raise CommentError("That comment was removed, so it takes no replies.")
        if parent.level + 1 >= max_depth():
            raise CommentError(
                f"Replies go at most {max_depth()} levels deep; reply higher up the thread."
            )
    duplicate_window = timezone.now() - timedelta(
        seconds=settings.COMMENTS_DUPLICATE_SECONDS
    )
    if (
        comments_for(obj)
        .filter(user=user, comment=text, submit_date__gte=duplicate_window)
        .exists()
    ):
        raise CommentError("You have just posted that comment.", status=409)
    try:
        hit("comments", user.pk, Rate.parse(settings.COMMENTS_RATE_LIMIT))
    except RateLimited as limited:
        error = CommentError(
            f"You're commenting very fast ({limited.rate.describe()} at most). "
            f"Please wait {limited.wait_in_words} and try again.",
            status=429,
        )
        error.retry_after = limited.retry_after
        raise error from None
    comment = XtdComment(
        content_type=content_type,
        object_pk=str(obj.pk),
        site=Site.objects.get_current(),
        user=user,
        user_name=user.get_display_name()[:50],
        user_email=user.email,
        comment=text,
        submit_date=timezone.now(),
        ip_address=ip,
        is_public=True,
        followup=followup,
        parent_id=parent.pk if parent else 0,
    )
    with transaction.atomic():
        # xtd saves the row before it checks the thread level; inside the
        # transaction a failure there leaves no orphan behind.
        comment.save()
    transaction.on_commit(lambda: _after_post(comment.pk))
    return comment


def _after_post(comment_id: int) -> None:
    from comments.tasks import notify_followers

    try:
        notify_followers.enqueue(comment_id)
    except Exception:
        logger.exception("Could not queue follow-up emails for comment %s", comment_id)


# A member's own comments


def own_comment(user, comment_id: int) -> XtdComment:
    comment = XtdComment.norel_objects.filter(pk=comment_id, is_removed=False).first()
    if comment is None:
        raise Http404
    if not user.is_authenticated or comment.user_id != user.pk:
        raise PermissionDenied("That isn't your comment.")
    return comment


def can_edit(user, comment: XtdComment) -> bool:
    window = timedelta(seconds=settings.COMMENTS_EDIT_SECONDS)
    return (
        user.is_authenticated
        and comment.user_id == user.pk
        and not comment.is_removed
        and timezone.now() - comment.submit_date <= window
    )


def edit_comment(user, comment_id: int, text: str) -> XtdComment:
    comment = own_comment(user, comment_id)
    if not can_edit(user, comment):
        minutes = settings.COMMENTS_EDIT_SECONDS // 60
        raise CommentError(
            f"Comments can be changed for {minutes} minutes after posting.", status=403
        )
    comment.comment = clean_text(text)
    comment.save(update_fields=["comment"])
    return comment


def delete_comment(user, comment_id: int) -> None:
    """The author deletes their comment: gone if nobody replied, otherwise a
    placeholder ("deleted by its author") keeps the replies in place."""
    comment = own_comment(user, comment_id)
    with transaction.atomic():
        if (
            XtdComment.norel_objects.filter(parent_id=comment.pk)
            .exclude(pk=comment.pk)
            .exists()
        ):
            comment.comment = ""
            comment.is_removed = True
            comment.save(update_fields=["comment", "is_removed"])
            CommentFlag.objects.get_or_create(
                user=user,
                comment=comment,
                flag=AUTHOR_DELETION_FLAG,
                defaults={"flag_date": timezone.now()},
            )
        else:
            comment.delete()


# Likes and flags


def _visible_comment(user, comment_id: int) -> XtdComment:
    comment = XtdComment.norel_objects.filter(
        pk=comment_id, is_public=True, is_removed=False
    ).first()
    if (
        comment is None
        or comment.content_object is None
        or not can_view(user, comment.content_object)
    ):
        raise Http404
    return comment


def toggle_like(user, comment_id: int) -> XtdComment:
    _check_member(user)
    comment = _visible_comment(user, comment_id)
    if comment.user_id == user.pk:
        raise CommentError("You can't like your own comment.", status=403)
    deleted, _ = CommentFlag.objects.filter(
        user=user, comment=comment, flag=LIKEDIT_FLAG
    ).delete()
    if not deleted:
        try:
            with transaction.atomic():
                CommentFlag.objects.create(
                    user=user,
                    comment=comment,
                    flag=LIKEDIT_FLAG,
                    flag_date=timezone.now(),
                )
        except IntegrityError:
            pass  # a double click: the other request liked it
    return comment


def flag(user, comment_id: int) -> XtdComment:
    """Flag a comment as inappropriate (once per member); moderators are told when
    COMMENTS_FLAG_THRESHOLD members have flagged it."""
    _check_member(user)
    comment = _visible_comment(user, comment_id)
    if comment.user_id == user.pk:
        raise CommentError("You can't flag your own comment.", status=403)
    try:
        with transaction.atomic():
            CommentFlag.objects.create(
                user=user,
                comment=comment,
                flag=CommentFlag.SUGGEST_REMOVAL,
                flag_date=timezone.now(),
            )
    except IntegrityError:
        return comment  # flagged already: once per member
    flags = CommentFlag.objects.filter(
        comment=comment, flag=CommentFlag.SUGGEST_REMOVAL
    ).count()
    if flags == settings.COMMENTS_FLAG_THRESHOLD:
        from comments.tasks import notify_moderators

        transaction.on_commit(lambda: notify_moderators.enqueue(comment.pk))
    return comment


# Moderation


def pending_flags():
    """Comments with a flag that no moderator has reviewed since it was raised."""
    reviewed_since = CommentFlag.objects.filter(
        comment=OuterRef("comment"),
        flag=REVIEWED_FLAG,
        flag_date__gte=OuterRef("flag_date"),
    )
    waiting = CommentFlag.objects.filter(
        comment=OuterRef("pk"), flag=CommentFlag.SUGGEST_REMOVAL
    ).filter(~Exists(reviewed_since))
    return XtdComment.norel_objects.filter(is_removed=False).filter(Exists(waiting))


def moderate(moderator, comments, action: str) -> int:
    """Remove, restore or mark reviewed; returns how many comments changed."""
    if not moderator.has_perm("django_comments.can_moderate"):
        raise PermissionDenied
    changed = 0
    for comment in comments:
        if action == "remove" and not comment.is_removed:
            comment.is_removed = True
            comment.save(update_fields=["is_removed"])
            changed += 1
        elif action == "restore" and comment.is_removed:
            comment.is_removed = False
            comment.save(update_fields=["is_removed"])
            CommentFlag.objects.filter(
                comment=comment, flag=AUTHOR_DELETION_FLAG
            ).delete()
            changed += 1
        elif action == "review":
            CommentFlag.objects.update_or_create(
                user=moderator,
                comment=comment,
                flag=REVIEWED_FLAG,
                defaults={"flag_date": timezone.now()},
            )
            changed += 1
    return changed


def moderator_emails() -> list[str]:
    group = Group.objects.filter(name=MODERATORS_GROUP).first()
    users = group.user_set.filter(is_active=True).exclude(email="") if group else []
    return sorted({user.email for user in users})
