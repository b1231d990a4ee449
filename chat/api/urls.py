from django.urls import path

from chat.api import views

app_name = "chat-api"
urlpatterns = [
    path("rooms/", views.RoomListView.as_view(), name="rooms"),
    path("rooms/<slug:slug>/", views.RoomDetailView.as_view(), name="room"),
    path(
        "rooms/<slug:slug>/messages/",
        views.MessageListView.as_view(),
        name="messages",
    ),
    path(
        "rooms/<slug:slug>/messages/<int:seq>/",
        views.MessageDetailView.as_view(),
        name="message",
    ),
    path(
        "rooms/<slug:slug>/messages/<int:seq>/report/",
        views.ReportView.as_view(),
        name="report",
    ),
    path("rooms/<slug:slug>/presence/", views.PresenceView.as_view(), name="presence"),
    path("metrics/", views.MetricsView.as_view(), name="metrics"),
]
