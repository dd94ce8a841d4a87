"""The demo section of translations: the data set's human translations as community
translations (see rednote/demo.py), so the quick start shows the bilingual view with no
machine-translation provider.

Each note and comment of `demo/seed.json` carries `translation` (`{"lang": "en", "body": ...}`,
with `title` too for a note). They were written by people, not by the content's authors, so
they are suggested by one demo account, `@demo_translators` ("Demo translators"), and accepted
by the content's author, as a reader's translation is on the site: readers see "Community
translation by @demo_translators". A note's title and body are two translations (parts "title"
and "body"); a comment's text one. Loading twice adds nothing.

`translations` does not import notes: the notes and comments are those the notes sections
loaded (`context.loaded["notes"]`, `context.loaded["comments"]`, by seed key), used through
their fields (`title`, `body`, `author_id`).
"""

from django.db import models

from accounts.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from accounts.models import User
from accounts.services import user_create
from rednote.demo import DemoContext, SectionResult, register

from .glossary import glossary_load
from .services import community_translation_accept, community_translation_suggest

TRANSLATOR_HANDLE = "demo_translators"


def translator_get() -> User:
    """The demo translators' account, made the first time."""
    user = User.objects.by_handle(TRANSLATOR_HANDLE).first()
    if user is None:
        user = user_create(
            handle=TRANSLATOR_HANDLE,
            email=f"{TRANSLATOR_HANDLE}@{DEMO_EMAIL_DOMAIN}",
            password=DEMO_PASSWORD,
            display_name="Demo translators · 译者",
            languages=["en", "zh-Hans"],
            read_languages=["en", "zh-Hans"],
            email_verified=True,
            bio="The demo's human translations, accepted by each note's and comment's author.",
        )
    return user


def community_translations_load(context: DemoContext) -> SectionResult:
    result = SectionResult()
    items: list[tuple[models.Model, str, str, str, str]] = []  # content, part, source, lang, text
    for section in ("notes", "comments"):
        loaded = context.loaded[section]
        for row in context.data.get(section, []):
            content = loaded.get(row["key"])
            translation = row.get("translation")
            if content is None or not translation:
                continue
            parts = ("title", "body") if section == "notes" else ("",)
            for part in parts:
                text = translation.get(part or "body") or ""
                source = getattr(content, part or "body")
                if text.strip() and source.strip():
                    items.append((content, part, source, translation["lang"], text))
    if not items:
        return result
    translator = translator_get()
    for content, part, source, language, text in items:
        result.total += 1
        suggestion = community_translation_suggest(
            user=translator,
            content=content,
            source_text=source,
            language=language,
            text=text,
            part=part,
        )
        if suggestion.is_accepted:  # loaded before, unchanged
            continue
        author = User(pk=content.author_id)  # type: ignore[attr-defined]
        community_translation_accept(
            user=author,
            suggestion=suggestion,
            content_author_id=content.author_id,  # type: ignore[attr-defined]
        )
        result.created += 1
    return result


# After the comments (55), before Discover's ranks (60).
register("translations", order=57, load=community_translations_load)


def glossary_section_load(context: DemoContext) -> SectionResult:
    """The shipped slang glossary (`glossary_load`), so the demo's notes show underlines."""
    loaded = glossary_load()
    return SectionResult(total=loaded.total, created=loaded.created)


# Independent of the other sections; readings are made when pages are read, and loading the
# glossary tells the reading aids after commit.
register("glossary", order=59, load=glossary_section_load)
