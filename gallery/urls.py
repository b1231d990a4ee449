from django.urls import path

from gallery import views

app_name = "gallery"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("cats/", views.cat_zone, name="cat_zone"),
    path("photos/<int:pk>/", views.photo_detail, name="photo_detail"),
]
