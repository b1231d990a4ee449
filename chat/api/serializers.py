"""The API's shapes, for the OpenAPI schema. The data itself comes from
chat.services (serialize_message is the one wire format of a message)."""

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="A sentence fit to show a person.")
    code = serializers.CharField(help_text="A stable code, e.g. rate_limited.")


class RoomSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    is_public = serializers.BooleanField()
    is_archived = serializers.BooleanField()
    last_seq = serializers.IntegerField(help_text="The seq of the newest message.")
    url = serializers.CharField(help_text="The room's page.")
    messages_url = serializers.CharField()


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField(
        help_text="1, 2, 3… in the room, without gaps: poll with ?after=<seq>."
    )
    room = serializers.SlugField()
    created = serializers.DateTimeField()
    deleted = serializers.BooleanField(
        help_text="Removed by a moderator: only id, seq, room and created remain."
    )
    author = serializers.CharField(required=False)
    author_username = serializers.CharField(required=False)
    author_url = serializers.CharField(required=False)
    author_avatar = serializers.CharField(required=False)
    author_initials = serializers.CharField(required=False)
    author_hue = serializers.IntegerField(required=False)
    body = serializers.CharField(required=False, help_text="Plain text.")
    html = serializers.CharField(
        required=False, help_text="The message as the room page shows it."
    )


class MessagePageSerializer(serializers.Serializer):
    messages = MessageSerializer(many=True)
    has_more = serializers.BooleanField()
    next = serializers.CharField(
        allow_null=True, help_text="The next page's address, if has_more."
    )
    last_seq = serializers.IntegerField(help_text="The room's newest seq.")


class NewMessageSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


class ReportSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False)


class MemberSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField()


class PresenceSerializer(serializers.Serializer):
    online = MemberSerializer(many=True)
