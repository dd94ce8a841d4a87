"""Comments in Discover's ranking (they weigh three likes; a comment re-ranks the note at once)
and in search (a note is found by its comments' words; hidden and deleted ones drop out)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from feeds import ranking, search
from feeds.models import NoteRank
from notes import services
from notes.search import note_search_document_update
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)


def _found(query: str) -> list:
    listing = search.search_listing(kind="notes", query=query, viewer=AnonymousUser())
    return list(listing.queryset.order_by(f"-{listing.key}", "-id"))


def test_a_comment_weighs_more_than_a_collect():
    now = timezone.now()
    published_at = now - timedelta(hours=3)

    def score(**counts):
        return ranking.discover_score(published_at=published_at, counts=counts)

    assert score(comment_count=1) == score(like_count=3)
    assert score(comment_count=1) > score(collect_count=1)


def test_a_comment_reranks_the_note_at_once(user, other_user, django_capture_on_commit_callbacks):
    quiet = NoteFactory(author=user, published_at=timezone.now() - timedelta(minutes=5))
    talked_about = NoteFactory(author=user, published_at=timezone.now() - timedelta(minutes=10))
    ranking.discover_ranks_recompute(since=None)
    before = NoteRank.objects.get(note=talked_about).score
    assert before < NoteRank.objects.get(note=quiet).score
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            services.comment_create(author=other_user, note=talked_about, body=f"wow {n}")
    after = NoteRank.objects.get(note=talked_about).score
    assert after > NoteRank.objects.get(note=quiet).score
    with django_capture_on_commit_callbacks(execute=True):
        for comment in list(talked_about.comments.all()):
            services.comment_delete(actor=user, comment=comment)
    assert NoteRank.objects.get(note=talked_about).score == before


def test_contains_fallback_finds_a_note_by_its_comments(user, other_user, monkeypatch):
    monkeypatch.setattr(search, "search_supported", lambda: False)
    note = NoteFactory(author=user, title="Weekend", body="A walk")
    NoteFactory(author=user, title="Other", body="Nothing here")
    comment = services.comment_create(author=other_user, note=note, body="Which teahouse is this?")
    assert _found("teahouse") == [note]
    services.comment_hide(target=comment)
    assert _found("teahouse") == []


@postgres_only
def test_full_text_finds_a_note_by_its_comments_words(
    user, other_user, django_capture_on_commit_callbacks
):
    note = NoteFactory(author=user, title="周末", body="散步")
    note_search_document_update(note)
    other = NoteFactory(author=user, title="Title words teahouse", body="")
    note_search_document_update(other)
    assert _found("茶馆") == []
    # The document is rebuilt by a task after commit (eager here).
    with django_capture_on_commit_callbacks(execute=True):
        top = services.comment_create(author=other_user, note=note, body="这是哪家茶馆？好想去")
        reply = services.comment_create(
            author=UserFactory(), note=note, body="looks like a teahouse", parent=top
        )
        assert _found("茶馆") == []
    assert _found("茶馆") == [note]
    # The title weighs more than a comment.
    assert _found("teahouse") == [other, note]
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_delete(actor=reply.author, comment=reply)
    assert _found("teahouse") == [other]
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_hide(target=top)
    assert _found("茶馆") == []
