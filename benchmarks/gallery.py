"""The gallery's speed: queries and render time of its pages with few and many
photos, beside a plain Wagtail page; one 12-megapixel upload; process memory.

    python benchmarks/gallery.py [--small 10] [--large 2000] [--repeat 25]

Builds a throwaway test database (SQLite, or PostgreSQL when DATABASE_URL is set).
1. Queries and p50/p95 render times of the feed, a tag page, the photo page, the
   cat zone and a member page at `small` and `large` photos (each with tags and
   likes), and of a stock wagtailcore Page (Wagtail's own page.html template)
   in the same run. The query count of a page must not grow with the photos (the
   script exits 1 if one does).
2. One 12-megapixel JPEG uploaded through /gallery/upload/ (Django's test client,
   no network): time from request in to response out, and the peak memory of the
   request (resident set size sampled every 2 ms, above the level before it).
   Tasks are queued in the database, as in production: the response does not
   wait for the cat classifier.
3. Memory of a web process (imports config.asgi, renders the feed and a photo
   page) and of a task worker after labelling one photo, each in a fresh
   interpreter, and which of TensorFlow / LiteRT / the classifier each loaded.
"""

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}
HEAVY_MODULES = ("tensorflow", "ai_edge_litert", "gallery.classifier", "numpy")


def rss_kb() -> int:
    with open("/proc/self/statm") as file:
        return int(file.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def peak_rss_kb() -> int:
    """This interpreter's peak resident set size (VmHWM: unlike ru_maxrss, it
    starts afresh at exec, not at the parent's size when it forked)."""
    with open("/proc/self/status") as file:
        for line in file:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# 3. Fresh interpreters: a web process and a worker


def child(role: str) -> None:
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import override_settings

    from gallery.models import GalleryImage

    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        TASKS=DATABASE_TASKS,
        MEDIA_ROOT=os.environ["MEDIA_ROOT"],  # the parent's photos
    ):
        if role == "web":
            import config.asgi  # noqa: F401 - what daphne loads

            client = Client()
            client.get("/gallery/")
            photo = GalleryImage.objects.photos().first()
            client.get(f"/gallery/photos/{photo.pk}/")
        else:
            from gallery.labelling import get_classifier, label_image

            photo = GalleryImage.objects.photos().first()
            outcome = label_image(photo, get_classifier())
            if outcome != "labelled":
                raise SystemExit(f"the worker could not label a photo: {outcome}")
    loaded = [name for name in HEAVY_MODULES if name in sys.modules]
    print(json.dumps({"role": role, "peak_mb": peak_rss_kb() / 1024, "loaded": loaded}))


def run_child(role: str, database_url: str, media_root: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": media_root,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--child", role],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode:
        raise SystemExit(f"{role} child failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# 1. Pages


def grow(members, target: int, have: int) -> None:
    """Bulk-create photos (one shared original file), with tags and likes."""
    from django.contrib.contenttypes.models import ContentType

    from taggit.models import Tag, TaggedItem

    from gallery.models import GalleryImage, PhotoLike
    from gallery.services import member_collection
    from tests.factories.gallery import GalleryImageFactory

    if have == 0:
        GalleryImageFactory(uploaded_by_user=members[0], title="Seed photo")
        have = 1
    seed = GalleryImage.objects.order_by("pk").first()
    albums = [member_collection(member) for member in members]
    photos = GalleryImage.objects.bulk_create(
        GalleryImage(
            title=f"Cat photo {number}",
            file=seed.file.name,
            width=seed.width,
            height=seed.height,
            file_size=seed.file_size,
            collection=albums[number % len(members)],
            uploaded_by_user=members[number % len(members)],
            cat_label="cat" if number % 2 else "not_cat",
            cat_label_source="model",
            cat_label_status="labelled",
            cat_score=0.9 if number % 2 else 0.1,
        )
        for number in range(have, target)
    )
    if not photos[0].pk:  # backends that don't return ids
        photos = list(GalleryImage.objects.order_by("-pk")[: len(photos)])
    content_type = ContentType.objects.get_for_model(GalleryImage)
    tags = [Tag.objects.get_or_create(name=name)[0] for name in ("tabby", "naps")]
    TaggedItem.objects.bulk_create(
        TaggedItem(tag=tags[number % 2], content_type=content_type, object_id=photo.pk)
        for number, photo in enumerate(photos)
    )
    PhotoLike.objects.bulk_create(
        PhotoLike(photo=photo, user=member)
        for photo in photos
        for member in members[1:]
    )


def measure(client, url: str, repeat: int) -> tuple[int, float, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    status = client.get(url).status_code  # warm-up: renditions, caches
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return count, statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


# 2. One 12-megapixel upload


def twelve_megapixels() -> bytes:
    """A 4000×3000 JPEG that compresses like a photo (gradients and grain)."""
    from PIL import Image, ImageFilter

    grain = Image.effect_noise((1000, 750), 40).resize((4000, 3000))
    red = Image.linear_gradient("L").resize((4000, 3000))
    green = red.rotate(90).resize((4000, 3000))
    photo = Image.merge("RGB", (red, green, grain)).filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def measure_upload(member) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import override_settings

    data = twelve_megapixels()
    client = Client()
    client.force_login(member)
    samples = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append(rss_kb())
            time.sleep(0.002)

    with override_settings(TASKS=DATABASE_TASKS, GALLERY_UPLOAD_RATE_LIMIT="1000/3600"):
        # A first upload warms up imports and the decoder.
        client.post(
            "/gallery/upload/",
            {"photos": SimpleUploadedFile("warm.jpg", data, "image/jpeg")},
            HTTP_ACCEPT="application/json",
        )
        before = rss_kb()
        sampler = threading.Thread(target=sample)
        sampler.start()
        start = time.perf_counter()
        response = client.post(
            "/gallery/upload/",
            {"photos": SimpleUploadedFile("phone.jpg", data, "image/jpeg")},
            HTTP_ACCEPT="application/json",
        )
        elapsed = (time.perf_counter() - start) * 1000
        done.set()
        sampler.join()
    if response.status_code != 201:
        raise SystemExit(
            f"upload answered {response.status_code}: {response.content[:300]}"
        )
    return {
        "file_mb": len(data) / 1_000_000,
        "ms": elapsed,
        "peak_mb": (max(samples) - before) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--child", choices=["web", "worker"])
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from wagtail.models import Page

    from home.models import HomePage
    from tests.factories.accounts import UserFactory

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        members = UserFactory.create_batch(3)
        home = HomePage.objects.get()
        home.add_child(instance=Page(title="A plain Wagtail page", slug="plain"))
        client = Client()
        client.force_login(members[1])
        pages = {
            "wagtail Page (stock)": "/plain/",
            "gallery feed": "/gallery/",
            "tag page": "/gallery/tags/tabby/",
            "photo page": None,
            "cat zone": "/gallery/cats/",
            "member page": f"/members/{members[0].username}/",
        }
        results, have = {}, 0
        for size in (options.small, options.large):
            grow(members, size, have)
            have = size
            from gallery.models import GalleryImage

            pages["photo page"] = (
                f"/gallery/photos/{GalleryImage.objects.latest('pk').pk}/"
            )
            results[size] = {
                name: measure(client, url, options.repeat)
                for name, url in pages.items()
            }
        upload = measure_upload(members[0])
        # Make the new photos' renditions here, so the web process below measures
        # serving pages, not Wagtail resizing 12-megapixel originals (printed apart).
        before = peak_rss_kb()
        client.get("/gallery/")
        rendition_peak = (peak_rss_kb() - before) / 1024
        db = connection.settings_dict
        url = (
            f"sqlite:///{db['NAME']}"
            if connection.vendor == "sqlite"
            else f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
        web = run_child("web", url, str(settings.MEDIA_ROOT))
        worker = run_child("worker", url, str(settings.MEDIA_ROOT))

        small, large = options.small, options.large
        print(
            f"Whiskers gallery benchmark on {connection.vendor}, {options.repeat} renders per page"
        )
        print(
            f"{'page':<22}{'queries @' + str(small):>12}{'queries @' + str(large):>14}"
            f"{'p50 ms @' + str(small):>13}{'p50 ms @' + str(large):>15}{'p95 ms @' + str(large):>15}"
        )
        grew = []
        for name in pages:
            small_q, small_p50, _ = results[small][name]
            large_q, large_p50, large_p95 = results[large][name]
            if large_q != small_q:
                grew.append(name)
            print(
                f"{name:<22}{small_q:>12}{large_q:>14}{small_p50:>13.1f}{large_p50:>15.1f}{large_p95:>15.1f}"
            )
        print(
            "query counts constant as photos grow"
            if not grew
            else f"QUERY COUNT GREW: {', '.join(grew)}"
        )
        print(
            f"upload of one 12-megapixel JPEG ({upload['file_mb']:.1f} MB): "
            f"{upload['ms']:.0f} ms request in to response out, "
            f"peak memory of the request {upload['peak_mb']:.0f} MB above the process's"
        )
        print(
            f"first feed view after those uploads (Wagtail makes their tile renditions): "
            f"peak RSS grew {rendition_peak:.0f} MB"
        )
        for result in (web, worker):
            loaded = ", ".join(result["loaded"]) or "none of " + "/".join(HEAVY_MODULES)
            print(
                f"{result['role']:<7} process peak RSS {result['peak_mb']:.0f} MB; loaded: {loaded}"
            )
        sys.exit(1 if grew else 0)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
