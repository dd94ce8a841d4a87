from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView, TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from health_check.views import HealthCheckView

from accounts.auth_views import login
from accounts.views import language_set
from notes.views.dashboard import dashboard
from rednote.api import api_not_found
from rednote.health import health_checks
from rednote.security import csp_report, media_serve

# allauth answers its rate limits (login, sign-up, reset, e-mail) with this: the site's 429 page,
# with Retry-After.
handler429 = "rednote.ratelimits.too_many_requests_page"


urlpatterns = [
    path("admin/dashboard/", admin.site.admin_view(dashboard), name="admin-dashboard"),
    path("admin/", admin.site.urls),
    # allauth's login, answering its failed-login limit with a 429 (accounts.auth_views).
    path("accounts/login/", login, name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", language_set, name="set_language"),
    path("api/v1/", include("rednote.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/ ending in a slash is the API's JSON 404 (a path without the
    # slash is first redirected to it by APPEND_SLASH, as everywhere on the site).
    re_path(r"^api/(?P<unmatched>.*/)?$", api_not_found, name="api-not-found"),
    path("csp-report/", csp_report, name="csp-report"),
    path("healthz/", HealthCheckView.as_view(checks=health_checks()), name="healthz"),
    # What the site is, how its reading aids work, and the credits of the data and libraries.
    path("about/", TemplateView.as_view(template_name="about.html"), name="about"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says; lazy, so the
    # hashed static name is looked up per request, after collectstatic.
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("img/favicon.ico"))),
    path("", include("notes.urls")),
    path("", include("feeds.urls")),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("", include("moderation.urls")),
    path("", include("translations.urls")),
]

if settings.DEBUG and settings.MEDIA_STORAGE == "local":
    # The quick start's uploads, with the headers nginx gives them in the compose stack.
    urlpatterns += static(settings.MEDIA_URL, view=media_serve, document_root=settings.MEDIA_ROOT)
