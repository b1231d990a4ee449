"""Which models take comments, and the rules each one sets.

Features register their commentable models here (in their AppConfig.ready), so
the comments app imports no feature: blog registers BlogPage, gallery
GalleryImage. A model's key is its "app_label.model", as in django-comments-xtd's
settings.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Commentable:
    model: type[models.Model]
    # Whether ``user`` may see ``obj`` and its comments (published, not hidden).
    is_visible: Callable[[models.Model, object], bool]
    # The address of ``obj``'s page, where its comments are shown.
    url: Callable[[models.Model], str]
    # Why ``obj`` takes no new comments now ("" when it does).
    closed_reason: Callable[[models.Model], str] = lambda obj: ""

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_registry: dict[str, Commentable] = {}


def register(model, *, is_visible, url, closed_reason=None) -> None:
    entry = Commentable(model, is_visible, url, closed_reason or (lambda obj: ""))
    _registry[entry.key] = entry


def get(key: str) -> Commentable | None:
    return _registry.get(key)


def for_object(obj) -> Commentable | None:
    return _registry.get(obj._meta.label_lower)
