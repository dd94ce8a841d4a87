"""The slang glossary's pages: `/glossary/` lists and searches the approved terms (pinyin,
both explanations — the reader's language first —, the example and its translation), the
best matches first, a page at a time; `/glossary/suggest/` lets a signed-in reader suggest a
term, held for a moderator's review. Plain links and forms: no JavaScript needed."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from rednote.pagination import DEFAULT_PAGE_SIZE, InvalidCursor, cursor_page
from rednote.ratelimits import rate_limited

from ..forms import GlossarySuggestForm
from ..glossary import GLOSSARY_RANK, glossary_search, glossary_term_suggest
from ..glossary_rules import GLOSSARY_LANGUAGES

# Readers' suggestions, with boards, community translations and feedback (rednote.throttling).
CONTRIBUTIONS_THROTTLE_SCOPE = "contributions"


def chinese_first() -> bool:
    """Whether the reader sees the Chinese explanation first: a Chinese interface."""
    return (get_language() or "").lower().startswith("zh")


@require_GET
def glossary_page(request: HttpRequest) -> HttpResponse:
    """`/glossary/?q=&language=&cursor=`: the approved terms, searched and paged."""
    q = request.GET.get("q", "").strip()
    language = request.GET.get("language", "")
    if language not in GLOSSARY_LANGUAGES:
        language = ""
    entries = glossary_search(q=q, language=language)
    try:
        page = cursor_page(
            entries,
            cursor=request.GET.get("cursor") or None,
            key=GLOSSARY_RANK,
            size=DEFAULT_PAGE_SIZE,
        )
    except InvalidCursor:
        return render(
            request,
            "translations/glossary.html",
            {
                "q": q,
                "language": language,
                "glossary_languages": GLOSSARY_LANGUAGES.items(),
                "error": gettext("This page link is not valid; start again from the first page."),
            },
            status=400,
        )
    context = {
        "q": q,
        "language": language,
        "glossary_languages": GLOSSARY_LANGUAGES.items(),
        "entries": page.items,
        "page": page,
        "zh_first": chinese_first(),
    }
    return render(request, "translations/glossary.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited(CONTRIBUTIONS_THROTTLE_SCOPE)
def glossary_suggest(request: HttpRequest) -> HttpResponse:
    """`/glossary/suggest/`: a reader suggests a term; a moderator reviews it in admin."""
    if request.method != "POST":
        form = GlossarySuggestForm(initial={"term": request.GET.get("term", "")[:40]})
        return render(request, "translations/glossary_suggest.html", {"form": form})
    form = GlossarySuggestForm(request.POST)
    if form.is_valid():
        try:
            user = cast(User, request.user)  # login_required
            entry = glossary_term_suggest(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                gettext(
                    "Thank you! A moderator will review “%(term)s” before it appears in the "
                    "glossary."
                )
                % {"term": entry.term},
            )
            return redirect(reverse("translations:glossary"))
    return render(request, "translations/glossary_suggest.html", {"form": form}, status=400)
