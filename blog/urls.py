from django.urls import path

from blog import feeds, views

app_name = "blog"
urlpatterns = [
    path("write/", views.write, name="write"),
    path("my-posts/", views.my_posts, name="my_posts"),
    path("pictures/", views.upload_picture, name="upload_picture"),
    path("posts/<int:post_id>/edit/", views.edit, name="edit"),
    path("posts/<int:post_id>/preview/", views.preview, name="preview"),
    path("posts/<int:post_id>/submit/", views.submit, name="submit"),
    path("posts/<int:post_id>/withdraw/", views.withdraw, name="withdraw"),
    path("feed/", feeds.PostsFeed(), name="feed_rss"),
    path("feed/atom/", feeds.AtomPostsFeed(), name="feed_atom"),
    path("tags/<path:tag>/feed/", feeds.PostsFeed(), name="tag_feed_rss"),
    path("tags/<path:tag>/feed/atom/", feeds.AtomPostsFeed(), name="tag_feed_atom"),
]
