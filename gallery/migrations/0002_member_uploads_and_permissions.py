"""The "Member uploads" collection, and image permissions for Editors and Moderators.

Wagtail's own migrations give those groups permissions on wagtailimages.Image;
with our custom image model they need the same on gallery.GalleryImage.
"""

from django.db import migrations

ALPHABET = (
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's materialised-path digits
)
STEPLEN = 4
PERMISSIONS = {
    "add_galleryimage": "Can add image",
    "change_galleryimage": "Can change image",
    "delete_galleryimage": "Can delete image",
    "choose_image": "Can choose image",
}


def next_child_path(parent_path, child_paths):
    last = max((int(path[-STEPLEN:], 36) for path in child_paths), default=0)
    step, digits = last + 1, ""
    for _ in range(STEPLEN):
        step, remainder = divmod(step, 36)
        digits = ALPHABET[remainder] + digits
    return parent_path + digits


def forwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )

    root = Collection.objects.get(depth=1)
    if not Collection.objects.filter(depth=2, name="Member uploads").exists():
        children = Collection.objects.filter(depth=2, path__startswith=root.path)
        Collection.objects.create(
            name="Member uploads",
            depth=2,
            numchild=0,
            path=next_child_path(root.path, children.values_list("path", flat=True)),
        )
        root.numchild = children.count()
        root.save(update_fields=["numchild"])

    content_type, _ = ContentType.objects.get_or_create(
        app_label="gallery", model="galleryimage"
    )
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS.items()
    ]
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


def backwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    GroupCollectionPermission.objects.filter(
        permission__content_type__app_label="gallery"
    ).delete()
    Collection.objects.filter(depth=2, name="Member uploads", numchild=0).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("gallery", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
