from django.urls import path

from gallery import views

app_name = "gallery"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("cats/", views.cat_zone, name="cat_zone"),
    path("tags/<path:tag>/", views.tag, name="tag"),
    path("upload/", views.upload, name="upload"),
    path("photos/<int:pk>/", views.photo_detail, name="photo_detail"),
    path("photos/<int:pk>/edit/", views.edit, name="edit"),
    path("photos/<int:pk>/delete/", views.delete, name="delete"),
    path("photos/<int:pk>/like/", views.like, name="like"),
    path("photos/<int:pk>/report/", views.report, name="report"),
    path("photos/<int:pk>/label/", views.label, name="label"),
    path("photos/<int:pk>/cat-or-not/", views.suggest_label, name="suggest_label"),
]
