from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("chat", "0003_number_existing_messages")]

    operations = [
        migrations.AlterField(
            model_name="message",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False),
        ),
        migrations.RemoveIndex(
            model_name="message", name="chat_messag_room_id_edc775_idx"
        ),
        migrations.AlterModelOptions(
            name="message", options={"ordering": ["room", "seq"]}
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.UniqueConstraint(
                fields=("room", "seq"), name="chat_message_unique_room_seq"
            ),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.UniqueConstraint(
                condition=Q(("idempotency_key", ""), _negated=True),
                fields=("author", "idempotency_key"),
                name="chat_message_unique_idempotency_key",
            ),
        ),
    ]
