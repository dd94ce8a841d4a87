"""The dictionary page, `/dictionary/?q=`: a search box and CC-CEDICT's entries for a word in
either direction (a Chinese word → its pinyin and English senses; an English word → Chinese
words with their pinyin and senses), "No entry for …" for a word it does not know, a 400 page
saying what is wrong for an empty or overlong query. No `q` at all shows the box alone.

For htmx (the gloss popover on notes and comments) it answers a small fragment instead,
`translations/_dictionary_entry.html`: the word, its pinyin, a few senses and a link here.

The answers never change between deploys, so they are cached: the fragment is the same for
everyone who reads the site in the same interface language (`public`), the whole page carries
the reader's navigation and CSRF token (`private`). Both vary on the interface language (the
language cookie and Accept-Language) and on HX-Request (one address, two bodies).
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from rednote.ratelimits import rate_limited

from ..dictionary import (
    DICTIONARY_MAX_AGE,
    READING_THROTTLE_SCOPE,
    dictionary_query_clean,
    dictionary_search,
)

# What the popover shows of an answer: the first entries, each with its first senses.
FRAGMENT_ENTRIES = 3
FRAGMENT_SENSES = 3


class _HtmxRequest(HttpRequest):
    htmx: HtmxDetails  # set by django-htmx's middleware


@require_GET
@rate_limited(READING_THROTTLE_SCOPE)
def dictionary_page(request: _HtmxRequest) -> HttpResponse:
    fragment = bool(request.htmx) and not request.htmx.boosted
    context: dict = {"query": dictionary_query_clean(request.GET.get("q"))}
    status = 200
    if "q" in request.GET:
        try:
            result = dictionary_search(request.GET["q"])
        except ValidationError as error:
            context["error"] = error.message_dict["q"][0]
            status = 400
        else:
            context["result"] = result
            context["entries"] = result.entries
    if fragment:
        if "entries" in context:
            context["entries"] = [
                (entry, entry.senses[:FRAGMENT_SENSES])
                for entry in context["entries"][:FRAGMENT_ENTRIES]
            ]
        response = render(request, "translations/_dictionary_entry.html", context, status=status)
    else:
        response = render(request, "translations/dictionary.html", context, status=status)
    if status == 200:
        patch_cache_control(
            response,
            max_age=DICTIONARY_MAX_AGE,
            **({"public": True} if fragment else {"private": True}),
        )
    patch_vary_headers(response, ("HX-Request", "Accept-Language", "Cookie"))
    return response
