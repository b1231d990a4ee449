"""The admin's one "Moderation" menu: every page in it says what it is."""

from django.test import RequestFactory

import pytest

from core.moderation import moderation_menu
from tests.admin_pages import header_title, heading

pytestmark = pytest.mark.django_db


def test_every_moderation_page_names_itself_in_the_header(client, moderator):
    request = RequestFactory().get("/admin/")
    request.user = moderator
    items = moderation_menu.menu_items_for_request(request)
    assert {item.name for item in items} >= {
        "comments",
        "reported-photos",
        "cat-labels",
        "cat-model-report",
    }
    client.force_login(moderator)
    for item in items:
        response = client.get(item.url)
        assert response.status_code == 200, item.url
        html = response.content.decode()
        title = header_title(html)
        assert title != "Home", item.url
        assert title == heading(html), item.url
