from django.urls import path

from gallery.consumers import PhotoLabelConsumer

websocket_urlpatterns = [
    path("ws/gallery/labels/", PhotoLabelConsumer.as_asgi()),
]
