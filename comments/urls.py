from django.urls import path

from django_comments_xtd import views as xtd_views

from comments import views

app_name = "comments"
urlpatterns = [
    path("on/<str:key>/<int:object_pk>/", views.post, name="post"),
    path("on/<str:key>/<int:object_pk>/more/", views.more, name="more"),
    path("<int:comment_id>/reply/", views.reply_form, name="reply"),
    path("<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:comment_id>/delete/", views.delete, name="delete"),
    path("<int:comment_id>/like/", views.like, name="like"),
    path("<int:comment_id>/flag/", views.flag, name="flag"),
]

# django-comments-xtd's one-click unsubscribe, under the name its emails reverse.
mute_urlpatterns = [
    path("comments/mute/<str:key>/", xtd_views.mute, name="comments-xtd-mute"),
]
