from django.conf import settings
from django.utils import translation

from . import services


class UserLanguageMiddleware:
    """A signed-in person's saved interface language wins over cookie and Accept-Language.

    Runs after AuthenticationMiddleware (and Django's LocaleMiddleware, which has already
    chosen from the cookie or the browser for visitors). The cookie is kept in step so the
    choice survives logging out on that browser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "ui_language", "") if user and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The request may have changed the choice (Settings): the cookie follows the account
        # as it is now, and a cookie the view set or deleted itself is left alone.
        language = getattr(user, "ui_language", "") if user and user.is_authenticated else ""
        if language and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            response.headers.setdefault("Content-Language", language)
            if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                    secure=request.is_secure(),
                )
        return response


class UserActivityMiddleware:
    """Keeps `User.last_active_at` for signed-in people (`services.user_seen`: at most one
    write an hour, no query when the loaded row is fresh), so home feeds are pushed to recent
    readers only. Runs after AuthenticationMiddleware; API requests signed with a token are
    authenticated inside the view (DRF puts that user on the request), so they are counted
    after the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            services.user_seen(user=user)
        response = self.get_response(request)
        api_user = request.__dict__.get("user")
        if api_user is not user and api_user is not None and api_user.is_authenticated:
            services.user_seen(user=api_user)
        return response
