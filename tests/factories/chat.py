import factory

from chat import services
from chat.models import Message, Room
from tests.factories.accounts import UserFactory


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Room {n}")
    slug = factory.Sequence(lambda n: f"room-{n}")
    description = "A place to talk."


class MessageFactory(factory.django.DjangoModelFactory):
    """A saved message, numbered by the room's sequence as chat.services does."""

    class Meta:
        model = Message

    room = factory.SubFactory(RoomFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Message {n}")

    @classmethod
    def _create(cls, model_class, room, author, body, **kwargs):
        message = services.import_message(room, author, body)
        if kwargs:
            for name, value in kwargs.items():
                setattr(message, name, value)
            message.save(update_fields=list(kwargs))
        return message
