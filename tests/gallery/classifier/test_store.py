"""Model versions on disk: listing, the active one, clear errors."""

import pytest

from gallery.classifier import ModelFileError, ModelStore
from gallery.classifier.store import SHIPPED_DIR
from tests.gallery.classifier.conftest import write_card


@pytest.fixture
def dirs(tmp_path):
    shipped, writable = tmp_path / "shipped", tmp_path / "writable"
    write_card(shipped / "cat-20260101-000000", "cat-20260101-000000")
    write_card(shipped / "cat-20260301-000000", "cat-20260301-000000")
    (shipped / "ACTIVE").write_text("cat-20260101-000000\n")
    write_card(writable / "cat-20260201-000000", "cat-20260201-000000")
    write_card(writable / ".cat-20260401-000000-x1y2", "unfinished")
    return shipped, writable


def test_versions_from_both_folders(dirs):
    shipped, writable = dirs
    store = ModelStore(writable, shipped_dir=shipped)
    assert [(m.version, m.shipped) for m in store.versions()] == [
        ("cat-20260101-000000", True),
        ("cat-20260201-000000", False),
        ("cat-20260301-000000", True),
    ]


def test_which_version_is_active(dirs):
    shipped, writable = dirs
    store = ModelStore(writable, shipped_dir=shipped)
    assert store.active_version() == "cat-20260101-000000"  # shipped ACTIVE
    assert store.active_version("cat-20260301-000000") == "cat-20260301-000000"

    marker = store.activate("cat-20260201-000000")

    assert marker == writable / "ACTIVE"  # never the shipped folder's file
    assert (shipped / "ACTIVE").read_text() == "cat-20260101-000000\n"
    assert store.active().version == "cat-20260201-000000"


def test_newest_version_when_none_is_marked(dirs):
    shipped, _ = dirs
    (shipped / "ACTIVE").unlink()
    assert ModelStore(None, shipped_dir=shipped).active_version() == (
        "cat-20260301-000000"
    )


def test_unknown_versions_and_broken_cards_are_named(dirs, tmp_path):
    shipped, writable = dirs
    store = ModelStore(writable, shipped_dir=shipped)
    with pytest.raises(ModelFileError, match="no-such-version"):
        store.get("no-such-version")
    with pytest.raises(ModelFileError, match="no such"):
        store.activate("no-such-version")

    (writable / "cat-20260201-000000" / "card.json").write_text("{not json")
    with pytest.raises(ModelFileError, match="card.json"):
        store.get("cat-20260201-000000")

    with pytest.raises(ModelFileError, match="holds no cat model"):
        ModelStore(None, shipped_dir=tmp_path / "empty").active()


def test_the_shipped_folder_names_an_existing_active_version():
    store = ModelStore(None)
    assert store.shipped_dir == SHIPPED_DIR
    active = store.active()
    assert active.shipped
    assert active.tflite_path.is_file()
    assert active.head_path.is_file()
    assert 0 < active.threshold < 1
