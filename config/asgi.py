"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Run with `daphne config.asgi:application` (make run does). Deploys set
DJANGO_SETTINGS_MODULE=config.settings.production.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

# Set up Django (and load every app) before importing code that touches models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from chat.origin import SiteOriginValidator  # noqa: E402
from chat.routing import websocket_urlpatterns  # noqa: E402
from config.health import verify_services  # noqa: E402
from config.limits import (  # noqa: E402
    RequestBodyLimitMiddleware,
    install_daphne_early_refusal,
)
from gallery.routing import websocket_urlpatterns as gallery_websockets  # noqa: E402

verify_services()
install_daphne_early_refusal()

application = ProtocolTypeRouter(
    {
        "http": RequestBodyLimitMiddleware(django_asgi_app),
        # Only the site's own origins (scheme, host and port): see chat/origin.py.
        "websocket": SiteOriginValidator(
            AuthMiddlewareStack(
                URLRouter([*websocket_urlpatterns, *gallery_websockets])
            )
        ),
    }
)
