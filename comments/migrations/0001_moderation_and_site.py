"""What comments need at start: the Site django-comments uses (named Whiskers,
at BASE_URL's host) and the Moderators' permissions to moderate comments in the
admin's Moderation menu: see and change comments, and django-comments'
can_moderate."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations

PERMISSIONS = [
    ("django_comments_xtd", "xtdcomment", "view_xtdcomment", "Can view comment"),
    ("django_comments_xtd", "xtdcomment", "change_xtdcomment", "Can change comment"),
    ("django_comments", "comment", "can_moderate", "Can moderate comments"),
]


def forwards(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": host, "name": "Whiskers"}
    )
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, model, codename, name in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=model
        )
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        moderators.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0002_alter_domain_unique"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
