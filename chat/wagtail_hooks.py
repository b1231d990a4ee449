"""Chat's lists in the Wagtail admin's "Moderation" menu (core.moderation)."""

from wagtail import hooks

from chat.admin_views import (
    MessageViewSet,
    ReportViewSet,
    RoomMuteViewSet,
    RoomViewSet,
)


@hooks.register("register_admin_viewset")
def register_chat_moderation():
    return [RoomViewSet(), MessageViewSet(), RoomMuteViewSet(), ReportViewSet()]
