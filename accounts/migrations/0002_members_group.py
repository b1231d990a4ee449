from django.db import migrations


def create_members_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    # Members get no Wagtail admin access; features add their own permissions.
    Group.objects.get_or_create(name="Members")


def remove_members_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Members").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_members_group, remove_members_group)]
