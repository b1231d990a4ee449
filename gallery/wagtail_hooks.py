from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.moderation import MODERATION_MENU_HOOK
from gallery import admin_views, services


class ModeratorMenuItem(MenuItem):
    """Shown to those who may moderate photos."""

    def is_shown(self, request):
        return services.is_moderator(request.user)


moderation_urls = (
    [
        path("reports/", admin_views.ReportedPhotosView.as_view(), name="reports"),
        path(
            "reports/<int:pk>/", admin_views.ReportedPhotoView.as_view(), name="report"
        ),
        path("labels/", admin_views.CatLabelsView.as_view(), name="labels"),
        path("model/", admin_views.CatModelReportView.as_view(), name="model"),
    ],
    "gallery_moderation",
)


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("gallery/", include(moderation_urls))]


@hooks.register(MODERATION_MENU_HOOK)
def reported_photos_menu_item():
    return ModeratorMenuItem(
        "Reported photos",
        reverse("gallery_moderation:reports"),
        name="reported-photos",
        icon_name="warning",
        order=200,
    )


@hooks.register(MODERATION_MENU_HOOK)
def cat_labels_menu_item():
    return ModeratorMenuItem(
        "Cat labels",
        reverse("gallery_moderation:labels"),
        name="cat-labels",
        icon_name="image",
        order=210,
    )


@hooks.register(MODERATION_MENU_HOOK)
def cat_model_menu_item():
    return ModeratorMenuItem(
        "Cat model report",
        reverse("gallery_moderation:model"),
        name="cat-model-report",
        icon_name="doc-full",
        order=220,
    )
