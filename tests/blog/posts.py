"""Posts for the blog tests: the form's data, and drafts made through the service."""

import uuid

from blog import services
from blog.models import BlogPage

BODY = """Mittens has a new favourite spot.

## The sofa

She sleeps on the **left** cushion, *always*. [More here](https://example.com/cats).

- breakfast
- nap

> If I fits, I sits.
>
> — Mittens
"""


def post_data(**overrides):
    return {
        "title": "Mittens and the sofa",
        "intro": "A short story about a long nap.",
        "tags": "naps, sofa life",
        "body": BODY,
        "token": str(uuid.uuid4()),
        "action": "draft",
        **overrides,
    }


def write(user, **overrides) -> BlogPage:
    """A member's draft, saved through the service the form uses."""
    fields = {
        "title": "A draft",
        "intro": "",
        "tags": ["naps"],
        "body": BODY,
        **overrides,
    }
    return services.save_draft(user, services.Draft(**fields))
