import shutil

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache

import pytest
from channels.layers import channel_layers

from accounts.models import EDITORS_GROUP, MODERATORS_GROUP
from tests.factories.accounts import UserFactory
from tests.factories.blog import BlogIndexPageFactory


def pytest_collection_modifyitems(items):
    """Every transactional test restores the data the migrations made (groups, the
    home page and site, the "Member uploads" collection) with serialized_rollback.

    All of them must: a transactional test without it lets post_migrate recreate
    content types under new ids when it flushes, and the next restore then clashes.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(autouse=True, scope="session")
def _remove_test_media():
    """MEDIA_ROOT is a fresh temporary folder per run (settings/test.py)."""
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: start every test from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Every test gets a new channel layer: each async test runs its own event loop,
    and the Redis layer keeps its receive lock and connections bound to the loop
    that used it first (a receive left waiting in one test broke the next ones)."""
    yield
    channel_layers.backends.clear()


@pytest.fixture
def member(db):
    return UserFactory(username="wendy", display_name="Wendy Whiskerfan")


@pytest.fixture
def other_member(db):
    return UserFactory(username="percy", display_name="Percy Purrfect")


@pytest.fixture
def moderator(db):
    return UserFactory(username="mo", groups=[MODERATORS_GROUP])


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", groups=[EDITORS_GROUP])


@pytest.fixture
def blog_index(db):
    return BlogIndexPageFactory()


@pytest.fixture
def groups(db):
    return {group.name: group for group in Group.objects.all()}
