"""Wagtail's Moderators group moderates chat in the admin's "Moderation" menu:
rooms (add, edit, archive; never delete, so history stays), messages (view,
delete: a soft delete that keeps the seq), mutes (all) and reports (view,
resolve). Members never get admin access."""

from django.db import migrations

# model: (verbose name, actions the Moderators group gets)
GRANTS = {
    "room": ("room", ("add", "change", "view")),
    "message": ("message", ("delete", "view")),
    "roommute": ("mute", ("add", "change", "delete", "view")),
    "messagereport": ("report", ("change", "view")),
}
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = []
    for model, (verbose_name, granted) in GRANTS.items():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="chat", model=model
        )
        for action in ACTIONS:  # all four exist, as post_migrate would make them
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"},
            )
            if action in granted:
                permissions.append(permission)
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="chat")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0004_message_seq_required"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # Wagtail's migration that creates the Moderators group.
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
