"""Chat's lists in the Wagtail admin's "Moderation" menu (core.moderation)."""

from wagtail import hooks

from chat.admin_views import (
    MessageViewSet,
    ReportViewSet,
    RoomMuteViewSet,
    RoomViewSet,
)
from chat.models import Message, MessageReport
from core.moderation import made_on_the_site

# Members write messages and reports on the site; moderators never add them.
made_on_the_site(Message)
made_on_the_site(MessageReport)


@hooks.register("register_admin_viewset")
def register_chat_moderation():
    return [RoomViewSet(), MessageViewSet(), RoomMuteViewSet(), ReportViewSet()]
