"""A cat photo's label arrives without a reload: a member uploads a photo the
shipped model labels "cat"; its badge says "labelling…" while a real task worker
(a separate `manage.py task_worker --burst` process, as in production) has not run;
once it has, the badge on the photo page and on the upload card turns to "cat",
the card's empty alt text gets a suggestion, and the photo is in the cat zone.

The live server queues tasks in the database here (not the test settings'
immediate backend), so the upload's response never waits for the classifier.
With REDIS_URL (CI's second pass) the worker's label reaches the page over the
WebSocket; with the in-memory channel layer it cannot cross processes, so the
page polls (the same code path `make run` takes without Redis)."""

import csv
import os
import re

from django.conf import settings
from django.test import override_settings

import pytest
from playwright.sync_api import expect

from gallery.models import GalleryImage
from tests.browser.base import BrowserTestCase
from tests.gallery.classifier.conftest import CAT_EVAL
from tests.processes import run_python, shared_database_url

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


def first_eval_cat():
    labels = CAT_EVAL / "labels.csv"
    if not labels.is_file():
        return None
    with labels.open() as file:
        row = next(r for r in csv.DictReader(file) if r["label"] == "cat")
    return CAT_EVAL / "images" / row["file"]


def run_worker():
    """`manage.py task_worker --burst` on the test database, in its own process."""
    result = run_python(
        "manage.py",
        "task_worker",
        "--burst",
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=shared_database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        CAT_MODEL_DIR=str(settings.CAT_MODEL_DIR),
        TASKS_BACKEND="database",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@override_settings(TASKS=DATABASE_TASKS)
class CatLabelLiveTests(BrowserTestCase):
    demo_data = True

    def test_the_badge_turns_to_cat_without_a_reload(self):
        photo_path = first_eval_cat()
        if photo_path is None:
            pytest.skip("../shared/cat-eval is not beside the project")
        page = self.new_page(390, 844)
        self.log_in(page, "wendy", self.demo_password)
        page.wait_for_url(f"{self.live_server_url}/")

        page.goto("/gallery/upload/")
        page.locator("input[type=file]").set_input_files(str(photo_path))
        card = page.locator("[data-upload-card]")
        card.locator("[data-field=title]").fill("Eval cat")
        page.get_by_role("button", name="Upload").click()
        expect(card.locator("[data-card-status]")).to_contain_text("Uploaded")
        expect(card.locator("[data-label-badge]")).to_have_text("labelling…")
        photo = GalleryImage.objects.get(title="Eval cat")
        assert photo.cat_label_status == "pending"

        detail = self.new_page(1280, 900)
        self.log_in(detail, "wendy", self.demo_password)
        detail.goto(f"/gallery/photos/{photo.pk}/")
        badge = detail.locator(".photo-info [data-label-badge]")
        expect(badge).to_have_text("labelling…")
        push = detail.locator("[data-label-live]").get_attribute("data-label-push")
        assert push == ("socket" if os.environ.get("REDIS_URL") else "poll")
        if push == "socket":
            self.wait_until(
                detail, "document.documentElement.dataset.labelSocket === 'open'"
            )
            self.wait_until(
                page, "document.documentElement.dataset.labelSocket === 'open'"
            )
        detail.evaluate("() => { window.stillHere = true; }")

        worker = run_worker()

        try:
            expect(badge).to_contain_text("cat", timeout=15_000)
        except AssertionError as error:
            state = GalleryImage.objects.values(
                "cat_label_status", "cat_label_error", "file"
            ).get(pk=photo.pk)
            raise AssertionError(f"{state}\n{worker.stderr[-2000:]}") from error
        expect(badge).not_to_contain_text("not a cat")
        assert detail.evaluate("() => window.stillHere === true")
        assert (
            detail.evaluate("() => document.documentElement.dataset.labelUpdatedBy")
            == push
        ), (
            detail.evaluate("() => document.documentElement.dataset.labelSocket"),
            [line for line in worker.stderr.splitlines() if "gallery" in line][-5:],
        )
        self.screenshot(detail, "gallery-photo-labelled-1280x900")
        expect(card.locator("[data-label-badge]")).to_contain_text(
            "cat", timeout=15_000
        )
        expect(card.locator("[data-field=alt_text]")).to_have_value(
            re.compile(r"^Photo of ")
        )
        photo.refresh_from_db()
        assert (photo.cat_label, photo.cat_label_source) == ("cat", "model")

        detail.goto("/gallery/cats/")
        expect(detail.locator(".photo-grid")).to_contain_text("Eval cat")
        assert self.page_errors == []
        assert self.csp_violations == []
