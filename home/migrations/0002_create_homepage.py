"""Replace Wagtail's placeholder "Welcome" page with the Whiskers home page."""

from django.db import migrations

TAGLINE = "A friendly corner of the internet for cat people"
INTRO = (
    "Read and write stories on the blog, share your photos in the gallery, "
    "see every cat in the cat zone and talk it all over in the chat."
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("home", "HomePage")

    if HomePage.objects.exists():
        return
    # Wagtail's first migration made a plain page at the top of the tree; we take its place.
    Page.objects.filter(
        depth=2, content_type__app_label="wagtailcore", content_type__model="page"
    ).delete()
    content_type, _ = ContentType.objects.get_or_create(
        app_label="home", model="homepage"
    )
    homepage = HomePage.objects.create(
        title="Whiskers",
        draft_title="Whiskers",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
        tagline=TAGLINE,
        intro=INTRO,
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": homepage,
            "site_name": "Whiskers",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
