from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .services import ui_language_set


@require_POST
def language_set(request):
    """Django's set_language (cookie + safe redirect), remembered on the account when signed in."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        ui_language_set(user=request.user, language=language)
    return response
