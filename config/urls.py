from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import tokens as token_views
from accounts import views as account_views
from comments import urls as comment_urls
from config.views import csp_report, healthz, healthz_tasks, page_passwords_off
from home import views as home_views
from search import views as search_views

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("healthz/tasks/", healthz_tasks, name="healthz_tasks"),
    path("csp-report/", csp_report, name="csp_report"),
    # One login for the whole site: the Wagtail admin signs in through allauth,
    # which rate-limits failed attempts (see WAGTAILADMIN_LOGIN_URL).
    path(
        "admin/login/",
        RedirectView.as_view(url=reverse_lazy("account_login"), query_string=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/profile/", account_views.profile_edit, name="profile_edit"),
    path("accounts/profile/token/", token_views.create_token, name="api_token_create"),
    path(
        "accounts/profile/token/revoke/",
        token_views.revoke_token,
        name="api_token_revoke",
    ),
    path("accounts/", include("allauth.urls")),
    path("members/<str:username>/", home_views.member_detail, name="member_detail"),
    # The blog's own pages; its index and posts are Wagtail pages (served below).
    path("blog/", include("blog.urls")),
    path("comments/", include("comments.urls")),
    *comment_urls.mute_urlpatterns,
    path("gallery/", include("gallery.urls")),
    path("chat/", include("chat.urls")),
    path("search/", search_views.search, name="search"),
    # REST API: chat (chat/api/), its OpenAPI schema and docs (Swagger UI from
    # drf-spectacular-sidecar's static files; the split view has no inline script).
    path("api/chat/", include("chat.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="api/swagger_ui.html"
        ),
        name="api_docs",
    ),
    path("credits/", home_views.credits, name="credits"),
    path("sitemap.xml", sitemap, name="sitemap"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # One login door (allauth, rate-limited, with email verification): Wagtail's
    # front-end login is sent there too, and shared page passwords are off.
    path(
        "_util/login/",
        RedirectView.as_view(url=reverse_lazy("account_login"), query_string=True),
    ),
    path(
        "_util/authenticate_with_password/<int:restriction_id>/<int:page_id>/",
        page_passwords_off,
    ),
    # Wagtail's page serving comes last: it matches every other path.
    path("", include(wagtail_urls)),
]
