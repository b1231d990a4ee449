"""The chat REST API: thin views over chat.services, which owns every rule."""

from django.urls import reverse
from django.utils.http import urlencode

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from chat import services
from chat.api import exceptions
from chat.api.serializers import (
    ErrorSerializer,
    MessagePageSerializer,
    MessageSerializer,
    NewMessageSerializer,
    PresenceSerializer,
    ReportSerializer,
    RoomSerializer,
)
from chat.models import Message, Room

ERRORS = {
    400: ErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
}


class ChatAPIView(APIView):
    def get_exception_handler(self):
        return exceptions.exception_handler

    def get_room(self, slug: str) -> Room:
        return services.get_readable_room(self.request.user, slug)

    def get_message(self, room: Room, seq: int) -> Message:
        message = room.messages.select_related("author").filter(seq=seq).first()
        if message is None:
            raise services.ChatError("There is no such message.", "not_found")
        message.room = room
        return message


def room_data(request, room: Room) -> dict:
    return {
        "slug": room.slug,
        "name": room.name,
        "description": room.description,
        "is_public": room.is_public,
        "is_archived": room.is_archived,
        "last_seq": room.last_seq,
        "url": request.build_absolute_uri(room.get_absolute_url()),
        "messages_url": request.build_absolute_uri(
            reverse("chat-api:messages", args=[room.slug])
        ),
    }


def whole_number(request, name: str, *, default: int | None = None) -> int | None:
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise services.ChatError(f"{name} must be a whole number.", "bad_parameter")
    return int(value)


class RoomListView(ChatAPIView):
    @extend_schema(
        operation_id="chat_rooms_list",
        summary="Rooms you may read",
        responses={200: RoomSerializer(many=True)},
    )
    def get(self, request):
        rooms = services.listed_rooms(request.user)
        return Response([room_data(request, room) for room in rooms])


class RoomDetailView(ChatAPIView):
    @extend_schema(
        operation_id="chat_room",
        summary="One room",
        responses={200: RoomSerializer, **ERRORS},
    )
    def get(self, request, slug):
        return Response(room_data(request, self.get_room(slug)))


class MessageListView(ChatAPIView):
    @extend_schema(
        operation_id="chat_messages_list",
        summary="Messages, oldest first",
        description=(
            "Without a cursor: the newest `limit` messages. `?after=<seq>`: the "
            "messages after that seq (poll with the last seq you have; follow "
            "`next` while `has_more`). `?before=<seq>`: older history."
        ),
        parameters=[
            OpenApiParameter(
                "after", OpenApiTypes.INT, description="Newer than this seq"
            ),
            OpenApiParameter(
                "before", OpenApiTypes.INT, description="Older than this seq"
            ),
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description="1 to 100, default 50"
            ),
        ],
        responses={200: MessagePageSerializer, **ERRORS},
    )
    def get(self, request, slug):
        room = self.get_room(slug)
        after = whole_number(request, "after")
        before = whole_number(request, "before")
        limit = whole_number(request, "limit", default=services.HISTORY_LENGTH)
        if after is not None and before is not None:
            raise services.ChatError("Use after or before, not both.", "bad_parameter")
        if not 1 <= limit <= services.PAGE_LIMIT_MAX:
            raise services.ChatError(
                f"limit must be between 1 and {services.PAGE_LIMIT_MAX}.",
                "bad_parameter",
            )
        messages, has_more = services.messages_page(
            room, after=after, before=before, limit=limit
        )
        if after is not None and request.user.is_authenticated:
            services.touch_poller_presence(room, request.user)
        next_url = None
        if has_more and messages:
            cursor = (
                {"before": messages[0].seq}
                if before is not None or after is None
                else {"after": messages[-1].seq}
            )
            next_url = request.build_absolute_uri(
                f"{request.path}?{urlencode(cursor | {'limit': limit})}"
            )
        last_seq = max([room.last_seq, *(message.seq for message in messages)])
        return Response(
            {
                "messages": [services.serialize_message(m) for m in messages],
                "has_more": has_more,
                "next": next_url,
                "last_seq": last_seq,
            }
        )

    @extend_schema(
        operation_id="chat_messages_create",
        summary="Post a message",
        description=(
            "Send an `Idempotency-Key` header (any printable ASCII, up to 100 "
            "characters, unique per message) to retry safely: a repeat with the "
            "same key returns the first message (200) instead of posting again."
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER
            )
        ],
        request=NewMessageSerializer,
        responses={
            201: MessageSerializer,
            200: MessageSerializer,
            409: ErrorSerializer,
            429: ErrorSerializer,
            **ERRORS,
        },
    )
    def post(self, request, slug):
        room = self.get_room(slug)
        data = request.data
        if not isinstance(data, dict) or not isinstance(data.get("body"), str):
            raise services.ChatError('Send JSON like {"body": "Hello"}.', "bad_request")
        message = services.post_message(
            room,
            request.user,
            data["body"],
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        return Response(
            services.serialize_message(message),
            status=status.HTTP_200_OK if message.replayed else status.HTTP_201_CREATED,
        )


class MessageDetailView(ChatAPIView):
    @extend_schema(
        operation_id="chat_message",
        summary="One message",
        responses={200: MessageSerializer, **ERRORS},
    )
    def get(self, request, slug, seq):
        message = self.get_message(self.get_room(slug), seq)
        return Response(services.serialize_message(message))

    @extend_schema(
        operation_id="chat_message_delete",
        summary="Delete a message (moderators)",
        responses={204: None, **ERRORS},
    )
    def delete(self, request, slug, seq):
        message = self.get_message(self.get_room(slug), seq)
        if not request.user.has_perm("chat.delete_message"):
            raise services.ChatError("Only moderators delete messages.", "forbidden")
        services.delete_message(message, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportView(ChatAPIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="chat_message_report",
        summary="Report a message to the moderators",
        request=ReportSerializer,
        responses={201: None, 409: ErrorSerializer, **ERRORS},
    )
    def post(self, request, slug, seq):
        message = self.get_message(self.get_room(slug), seq)
        data = request.data if isinstance(request.data, dict) else {}
        services.report_message(message, request.user, data.get("reason", ""))
        return Response(
            {"reported": True, "seq": message.seq}, status=status.HTTP_201_CREATED
        )


class PresenceView(ChatAPIView):
    @extend_schema(
        operation_id="chat_presence",
        summary="Members online in the room",
        responses={200: PresenceSerializer, **ERRORS},
    )
    def get(self, request, slug):
        return Response({"online": services.online_members(self.get_room(slug))})


class MetricsView(ChatAPIView):
    permission_classes = [permissions.IsAdminUser]

    @extend_schema(
        operation_id="chat_metrics",
        summary="Chat counters (staff)",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        return Response(services.metrics())
