"""The dictionary as readers ask it, on the dictionary page and in the API alike: a query
cleaned, looked up in CC-CEDICT (`translations.reading.dictionary_lookup`, both directions),
and refused with one message naming `q` when it is empty or too long."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .reading import DictionaryResult, dictionary_lookup

# Entries the page and the API list at most; the popover fragment shows fewer.
DICTIONARY_LIMIT = 20
# A day: CC-CEDICT only changes with a deploy, so its answers are cached this long.
DICTIONARY_MAX_AGE = 60 * 60 * 24
# The rate limit of reading aids (`rednote.throttling.RATE_SCOPES`): the dictionary page and
# its API, the reading API of notes and comments; visitors' reads only.
READING_THROTTLE_SCOPE = "reading"


def dictionary_query_clean(query: str | None) -> str:
    """The query as looked up: surrounding and repeated blanks removed ("" for none)."""
    return " ".join((query or "").split())


def dictionary_search(query: str | None, *, limit: int = DICTIONARY_LIMIT) -> DictionaryResult:
    """CC-CEDICT's entries for `query` (a Chinese word → its entries; an English word → the
    Chinese entries whose senses hold it). An unknown word is a result with no entries; an
    empty or overlong query is a ValidationError naming `q`."""
    cleaned = dictionary_query_clean(query)
    if not cleaned:
        raise ValidationError({"q": [_("Type a word to look up.")]})
    try:
        return dictionary_lookup(cleaned, limit=limit)
    except ValueError as exc:
        # The engine refuses what it will not look up: here, only an overlong query is left.
        raise ValidationError(
            {"q": [_("That is too long to look up: type one word or a short phrase.")]}
        ) from exc
