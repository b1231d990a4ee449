"""Moderators hide, restore and label members' photos (gallery.moderate_photo).

The permission is created here rather than waiting for post_migrate, so the
group has it as soon as the migration has run. Members get nothing: they never
reach the admin.
"""

from django.db import migrations

CODENAME = "moderate_photo"
NAME = "Can hide, restore and label members' photos"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="gallery", model="galleryimage"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": NAME}
    )
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(permission)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="gallery", codename=CODENAME
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("gallery", "0004_photos_likes_reports_pages"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
