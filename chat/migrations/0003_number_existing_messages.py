"""Number the messages saved before seq existed: 1, 2, 3… per room, by
(created_at, pk), and set each room's last_seq to its count."""

from django.db import migrations


def number_messages(apps, schema_editor):
    Room = apps.get_model("chat", "Room")
    Message = apps.get_model("chat", "Message")
    for room in Room.objects.all():
        messages = list(
            Message.objects.filter(room=room).order_by("created_at", "pk").only("pk")
        )
        for seq, message in enumerate(messages, start=1):
            message.seq = seq
        Message.objects.bulk_update(messages, ["seq"], batch_size=500)
        room.last_seq = len(messages)
        room.save(update_fields=["last_seq"])


class Migration(migrations.Migration):
    dependencies = [("chat", "0002_sequence_moderation")]

    operations = [migrations.RunPython(number_messages, migrations.RunPython.noop)]
