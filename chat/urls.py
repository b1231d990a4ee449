from django.urls import path

from chat import views

app_name = "chat"
urlpatterns = [
    path("", views.room_list, name="room_list"),
    path("<slug:slug>/", views.room_detail, name="room"),
    path(
        "<slug:slug>/messages/<int:seq>/report/",
        views.report_message,
        name="report",
    ),
]
