"""Chat moderation in the Wagtail admin's "Moderation" menu (registered in
wagtail_hooks.py): rooms, messages, mutes and reports. Every action goes
through chat.services, like the page, the consumer and the API."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

import django_filters

from chat import services
from chat.models import Message, MessageReport, Room, RoomMute
from core.moderation import MODERATION_MENU_HOOK


class RoomViewSet(ModelViewSet):
    """Create, describe, open or close (members-only) and archive rooms. Rooms
    are archived rather than deleted, so their history stays."""

    model = Room
    name = "chat_room"
    menu_label = "Chat rooms"
    icon = "comment"
    menu_order = 300
    menu_hook = MODERATION_MENU_HOOK
    add_to_admin_menu = False
    copy_view_enabled = False
    form_fields = ["name", "slug", "description", "is_public", "is_archived"]
    list_display = [
        "name",
        "slug",
        BooleanColumn("is_public", label="Public"),
        BooleanColumn("is_archived", label="Archived"),
        Column("last_seq", label="Messages"),
    ]
    list_filter = ["is_public", "is_archived"]
    search_fields = ["name", "description"]


class MessageFilterSet(WagtailFilterSet):
    deleted = django_filters.BooleanFilter(
        field_name="deleted_at", lookup_expr="isnull", exclude=True, label="Deleted"
    )
    created_at = django_filters.DateFromToRangeFilter(label="Posted")

    class Meta:
        model = Message
        fields = ["room", "author"]


class MessageIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("chat.add_roommute"):
            url = reverse("chat_roommute:add")
            buttons.append(
                MenuItem(
                    "Mute the author in this room",
                    url=f"{url}?room={instance.room_id}&user={instance.author_id}",
                    icon_name="no-view",
                    priority=40,
                )
            )
        return buttons


class MessageDeleteView(generic.DeleteView):
    """Deleting keeps the row and its seq (clients must never see a hole in the
    sequence); every live client drops the message at once."""

    page_title = "Delete message"
    success_message = "Message %(object)s deleted: it is gone from every page."

    @property
    def confirmation_message(self):
        return (
            "Delete this message for everyone? It disappears from open pages at "
            "once; the record stays here, marked deleted."
        )

    def delete_action(self):
        services.delete_message(self.object, self.request.user)


def body_excerpt(message: Message) -> str:
    return "(deleted) " if message.is_deleted else truncatechars(message.body, 80)


class MessageViewSet(ModelViewSet):
    """Every message, filterable by room, author, date and deletion, searchable."""

    model = Message
    name = "chat_message"
    menu_label = "Chat messages"
    icon = "comment"
    menu_order = 310
    menu_hook = MODERATION_MENU_HOOK
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = MessageIndexView
    delete_view_class = MessageDeleteView
    form_fields = []
    filterset_class = MessageFilterSet
    search_fields = ["body"]
    list_display = [
        "__str__",  # the first column is the title, which carries the row's buttons
        "room",
        "author",
        DateColumn("created_at", label="Posted"),
    ]
    inspect_view_fields = ["room", "seq", "author", "body", "created_at", "deleted_at"]
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return Message.objects.select_related("room", "author")


class RoomMuteCreateView(generic.CreateView):
    def get_initial(self):
        """Pre-filled from "Mute the author in this room" on a message."""
        initial = super().get_initial()
        for name in ("room", "user"):
            value = self.request.GET.get(name, "")
            if value.isascii() and value.isdigit():
                initial[name] = int(value)
        return initial

    def save_instance(self):
        mute = self.form.save(commit=False)
        mute.created_by = self.request.user
        mute.save()
        return mute


class RoomMuteViewSet(ModelViewSet):
    """Members who may read a room but not post in it until a time."""

    model = RoomMute
    name = "chat_roommute"
    menu_label = "Chat mutes"
    icon = "no-view"
    menu_order = 320
    menu_hook = MODERATION_MENU_HOOK
    add_to_admin_menu = False
    copy_view_enabled = False
    add_view_class = RoomMuteCreateView
    form_fields = ["room", "user", "until", "reason"]
    list_display = [
        "user",
        "room",
        DateColumn("until", label="Until"),
        "reason",
        Column(
            "active",
            label="Active",
            accessor=lambda mute: "yes" if mute.until > timezone.now() else "ended",
        ),
    ]
    list_filter = ["room"]

    def get_queryset(self, request):
        return RoomMute.objects.select_related("room", "user")


class ReportFilterSet(WagtailFilterSet):
    open = django_filters.BooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", label="Open"
    )

    class Meta:
        model = MessageReport
        fields = ["resolution"]


class ReportIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_open and self.user_has_permission("change"):
            buttons.append(
                MenuItem(
                    "Dismiss",
                    url=reverse("chat_messagereport:dismiss", args=[instance.pk]),
                    icon_name="check",
                    priority=10,
                )
            )
        if (
            instance.is_open
            and not instance.message.is_deleted
            and self.request.user.has_perm("chat.delete_message")
        ):
            buttons.append(
                MenuItem(
                    "Delete the message",
                    url=reverse(
                        "chat_messagereport:delete_message", args=[instance.pk]
                    ),
                    icon_name="bin",
                    priority=20,
                )
            )
        return buttons


class ReportActionView(generic.WagtailAdminTemplateMixin, TemplateView):
    """Confirm (GET), then resolve a report (POST): dismiss it, or delete its
    message."""

    template_name = "chat/admin/report_action.html"
    deleting = False
    header_icon = "warning"

    def dispatch(self, request, pk):
        self.report = get_object_or_404(
            MessageReport.objects.select_related("message__room", "message__author"),
            pk=pk,
        )
        needed = "chat.delete_message" if self.deleting else "chat.change_messagereport"
        if not request.user.has_perm(needed):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_title(self):
        return "Delete the reported message" if self.deleting else "Dismiss the report"

    def get_breadcrumbs_items(self):
        # The admin's header shows the last breadcrumb: without this, "Home".
        reports = {
            "url": reverse("chat_messagereport:index"),
            "label": "Chat reports",
        }
        return [
            *self.breadcrumbs_items,
            reports,
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report, deleting=self.deleting, **kwargs
        )

    def post(self, request, pk):
        services.resolve_report(self.report, request.user, delete=self.deleting)
        messages.success(
            request,
            "Message deleted: it is gone from every page."
            if self.deleting
            else "Report dismissed.",
        )
        return redirect("chat_messagereport:index")


class ReportViewSet(ModelViewSet):
    """Messages members reported from the room page, to dismiss or act on."""

    model = MessageReport
    name = "chat_messagereport"
    menu_label = "Chat reports"
    icon = "warning"
    menu_order = 330
    menu_hook = MODERATION_MENU_HOOK
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ReportIndexView
    filterset_class = ReportFilterSet
    form_fields = []
    list_display = [
        "__str__",  # the first column is the title, which carries the row's buttons
        Column(
            "message",
            label="Message",
            accessor=lambda report: body_excerpt(report.message),
        ),
        Column("room", label="Room", accessor=lambda report: report.message.room),
        Column("author", label="Author", accessor=lambda report: report.message.author),
        "reporter",
        "reason",
        DateColumn("created_at", label="Reported"),
        Column(
            "resolution",
            label="Status",
            accessor=lambda report: report.get_resolution_display(),
        ),
    ]
    inspect_view_fields = ["message", "reporter", "reason", "created_at", "resolution"]

    def get_queryset(self, request):
        return MessageReport.objects.select_related(
            "message__room", "message__author", "reporter"
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("dismiss/<int:pk>/", ReportActionView.as_view(), name="dismiss"),
            path(
                "delete-message/<int:pk>/",
                ReportActionView.as_view(deleting=True),
                name="delete_message",
            ),
        ]
