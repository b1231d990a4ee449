"""Wagtail's database search backend, with query strings it can always parse.

modelsearch's SQLite backend puts each term inside double quotes in an FTS5
MATCH expression without escaping them, so a query with a " in it (from the site
search or any admin search box) was a syntax error and a 500. Quotes and NULs
are taken out of plain-text and phrase queries before the backend sees them.
"""

import re

from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import Phrase, PlainText

UNSAFE = re.compile('["\x00]')


def _clean(query):
    if isinstance(query, str):
        return UNSAFE.sub(" ", query)
    if isinstance(query, (PlainText, Phrase)):
        query.query_string = UNSAFE.sub(" ", query.query_string)
    return query


class SafeQueryMixin:
    def search(self, query, model_or_queryset, *args, **kwargs):
        return super().search(_clean(query), model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        return super().autocomplete(_clean(query), model_or_queryset, *args, **kwargs)


def SearchBackend(params):
    backend = database_backend(params)
    safe_class = type(
        f"Safe{type(backend).__name__}", (SafeQueryMixin, type(backend)), {}
    )
    backend.__class__ = safe_class
    return backend
