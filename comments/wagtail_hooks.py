"""Comments in the Wagtail admin's Moderation menu: a list with filters, search
and bulk actions (remove, restore, mark reviewed), and a badge with the number of
comments flagged since a moderator last looked at them."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.text import Truncator

from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from comments import services
from core.moderation import MODERATION_MENU_HOOK, made_on_the_site

COMMENTED_MODELS = ("blog.blogpage", "gallery.galleryimage")


def _commented_types():
    return ContentType.objects.filter(
        app_label__in=[key.split(".")[0] for key in COMMENTED_MODELS],
        model__in=[key.split(".")[1] for key in COMMENTED_MODELS],
    )


class CommentFilterSet(WagtailFilterSet):
    flagged = django_filters.ChoiceFilter(
        label="Flags",
        choices=[("pending", "Flagged, not reviewed"), ("any", "Flagged at any time")],
        method="filter_flagged",
        empty_label="All",
    )
    is_removed = django_filters.BooleanFilter(
        label="Removed", widget=forms.NullBooleanSelect
    )
    content_type = django_filters.ModelChoiceFilter(
        label="On",
        queryset=lambda request: _commented_types(),
        empty_label="Posts and photos",
    )
    object_pk = django_filters.CharFilter(label="Post or photo id")
    user__username = django_filters.CharFilter(
        label="By (username)", lookup_expr="iexact"
    )
    submit_date = django_filters.DateFromToRangeFilter(
        label="Date", widget=DateRangePickerWidget
    )

    class Meta:
        model = XtdComment
        fields = [
            "flagged",
            "is_removed",
            "content_type",
            "object_pk",
            "user__username",
            "submit_date",
        ]

    def filter_flagged(self, queryset, name, value):
        if value == "pending":
            return queryset.filter(pk__in=services.pending_flags().values("pk"))
        if value == "any":
            return queryset.filter(flags__flag=CommentFlag.SUGGEST_REMOVAL).distinct()
        return queryset


class OnColumn(Column):
    """The post or photo a comment is on, linked to its page."""

    def get_value(self, instance):
        target = instance.content_object
        if target is None:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noreferrer">{}</a>',
            services.url_of(target),
            Truncator(str(target)).chars(40),
        )


class StatusColumn(Column):
    def get_value(self, instance):
        parts = []
        if instance.is_removed:
            parts.append("removed")
        if instance.flag_count:
            parts.append(
                f"{instance.flag_count} flag{'s' if instance.flag_count != 1 else ''}"
            )
        return ", ".join(parts) or "shown"


class CommentViewSet(SnippetViewSet):
    model = XtdComment
    menu_label = "Comments"
    menu_name = "comments"
    icon = "comment"
    url_prefix = "comments"
    menu_hook = MODERATION_MENU_HOOK
    menu_order = 100
    list_per_page = 50
    ordering = ["-submit_date"]
    filterset_class = CommentFilterSet
    search_fields = ["comment", "user__username", "user__display_name"]
    list_display = [
        "comment",
        Column("user", label="By"),
        OnColumn("on", label="On"),
        StatusColumn("status", label="Status"),
        DateColumn("submit_date", label="Posted"),
    ]
    panels = [FieldPanel("comment", read_only=True), FieldPanel("is_removed")]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return (
            XtdComment.norel_objects.filter(content_type__in=_commented_types())
            .select_related("user", "content_type")
            .annotate(
                flag_count=Count(
                    "flags", filter=Q(flags__flag=CommentFlag.SUGGEST_REMOVAL)
                )
            )
        )

    def get_menu_item(self, order=None):
        return PendingFlagsMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=order or self.menu_order,
            viewset=self,
        )


class PendingFlagsMenuItem(MenuItem):
    """ "Comments (3)": how many flagged comments wait for a moderator."""

    def __init__(self, *args, viewset, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewset = viewset
        self.base_label = self.label

    def is_shown(self, request):
        return self.viewset.permission_policy.user_has_any_permission(
            request.user, {"view", "change"}
        )

    def render_component(self, request):
        waiting = services.pending_flags().count()
        self.label = (
            f"{self.base_label} ({waiting} flagged)" if waiting else self.base_label
        )
        return super().render_component(request)


made_on_the_site(XtdComment)
register_snippet(CommentViewSet)


class ModerateCommentsAction(SnippetBulkAction):
    """Base of the three bulk actions; services.moderate does the work."""

    models = [XtdComment]
    template_name = "comments/admin/confirm_bulk_moderate.html"
    moderation = ""
    past_tense = ""

    def check_perm(self, comment):
        return self.request.user.has_perm("django_comments.can_moderate")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {"action_name": self.display_name, "past_tense": self.past_tense}
        )
        return context

    def get_execution_context(self):
        return {"user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return services.moderate(user, objects, cls.moderation), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} comment(s) {self.past_tense}."


@hooks.register("register_bulk_action")
class RemoveCommentsAction(ModerateCommentsAction):
    display_name = "Remove"
    action_type = "remove-comments"
    aria_label = "Remove the selected comments from the site"
    moderation = "remove"
    past_tense = "removed"
    classes = {"serious"}


@hooks.register("register_bulk_action")
class RestoreCommentsAction(ModerateCommentsAction):
    display_name = "Restore"
    action_type = "restore-comments"
    aria_label = "Show the selected comments again"
    moderation = "restore"
    past_tense = "restored"


@hooks.register("register_bulk_action")
class ReviewCommentsAction(ModerateCommentsAction):
    display_name = "Mark reviewed"
    action_type = "review-comments"
    aria_label = "Mark the selected comments as reviewed"
    moderation = "review"
    past_tense = "marked reviewed"
