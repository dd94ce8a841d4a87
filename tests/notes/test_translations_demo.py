"""`seed_demo`'s translations section: the data set's human translations of notes (title and
body) and comments loaded as community translations by @demo_translators, accepted by each
author, so the quick start's bilingual view works with no provider; loading twice adds
nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.demo import follows_load, users_load
from accounts.models import User
from notes.demo import comments_load
from rednote.demo import DemoContext, demo_sections
from tests.factories import NoteFactory
from translations.demo import TRANSLATOR_HANDLE, community_translations_load
from translations.models import CommunityTranslation

pytestmark = pytest.mark.django_db


@pytest.fixture
def context():
    context = DemoContext.from_file()
    users_load(context)
    follows_load(context)
    for row in context.data["notes"]:
        author = User.objects.get(handle=row["author"])
        note = NoteFactory(
            author=author,
            title=row["title"],
            body=row["body"],
            visibility=row["visibility"],
            language=row["language"],
        )
        context.loaded["notes"][row["key"]] = note
        context.loaded["notes_published"][row["key"]] = note.published_at
    comments_load(context)
    return context


def test_translations_section_runs_after_comments_and_before_ranking():
    order = [section.name for section in demo_sections()]
    assert order.index("comments") < order.index("translations") < order.index("discover_ranks")


def test_seed_translations_load_as_accepted_community_translations(context, settings):
    settings.TRANSLATION_PROVIDER = ""
    notes, comments = context.data["notes"], context.data["comments"]
    expected = sum(bool(n["translation"]["title"]) + bool(n["translation"]["body"]) for n in notes)
    expected += sum(1 for c in comments if c.get("translation"))
    result = community_translations_load(context)
    assert (result.total, result.created) == (expected, expected)
    rows = CommunityTranslation.objects.all()
    assert rows.count() == expected
    assert all(row.is_accepted and row.author.handle == TRANSLATOR_HANDLE for row in rows)
    again = community_translations_load(context)
    assert (again.total, again.created) == (expected, 0)
    assert CommunityTranslation.objects.count() == expected

    # The quick start's bilingual view: an English reader of the first Chinese public note.
    row = next(n for n in notes if n["language"] == "zh-Hans" and n["visibility"] == "public")
    note = context.loaded["notes"][row["key"]]
    reader = Client()
    reader.force_login(User.objects.get(handle="mossy_mae"))  # reads English
    html = reader.get(reverse("notes:detail", kwargs={"note_id": note.pk})).content.decode()
    assert f"Community translation by @{TRANSLATOR_HANDLE}" in html
    title = row["translation"]["title"]
    assert escape(title) in html
