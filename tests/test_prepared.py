"""A prepared query gives what its queryset gives, for every argument, and builds the
queryset once."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from notes import selectors
from notes.models import Note
from rednote.prepared import PreparedQuery
from tests.factories import BlockFactory, FollowFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def _plain_row(viewer, note_id: int):
    return (
        selectors.notes_annotate_viewer(
            Note.objects.visible_to(viewer).select_related("author"), viewer=viewer
        )
        .filter(pk=note_id)
        .first()
    )


def test_note_row_matches_the_queryset_for_every_viewer_and_visibility():
    author, follower, stranger, blocked = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=author)
    BlockFactory(blocker=author, blocked=blocked)
    notes = [
        NoteFactory(author=author, visibility=visibility)
        for visibility in ("public", "followers", "private")
    ] + [NoteFactory(author=author, processing=True), NoteFactory(author=author, is_hidden=True)]
    for viewer in (AnonymousUser(), author, follower, stranger, blocked):
        for note in notes:
            expected = _plain_row(viewer, note.pk)
            try:
                got = selectors.note_row_get_visible(viewer=viewer, note_id=note.pk)
            except Http404:
                got = None
            assert (got and got.pk) == (expected and expected.pk), (viewer, note.visibility)
            if got is not None:
                assert got.author.handle == author.handle  # select_related filled in
                assert (got.viewer_liked, got.viewer_collected) == (False, False)
                assert got.title == expected.title and got.updated_at == expected.updated_at


def test_prepared_query_builds_once_and_substitutes_each_argument():
    built = []

    def build(note_id, author_id):
        built.append((note_id, author_id))
        return Note.objects.filter(pk=note_id, author_id=author_id)

    prepared = PreparedQuery(build, 2)
    first, second = NoteFactory(), NoteFactory()
    assert [n.pk for n in prepared(first.pk, first.author_id)] == [first.pk]
    assert [n.pk for n in prepared(second.pk, second.author_id)] == [second.pk]
    assert prepared(first.pk, second.author_id) == []
    assert len(built) == 1


def test_prepared_query_refuses_an_argument_it_cannot_place():
    prepared = PreparedQuery(lambda note_id, unused: Note.objects.filter(pk=note_id), 2)
    with pytest.raises(ValueError, match="Every argument"):
        prepared(1, 2)


@pytest.mark.parametrize("note_id", [2**63, 10**25, -(2**63) - 1])
def test_prepared_query_answers_nothing_for_an_id_no_column_can_hold(note_id):
    # As the ORM does (an empty result, never the database refusing the number: SQLite would).
    NoteFactory()
    prepared = PreparedQuery(lambda pk: Note.objects.filter(pk=pk), 1)
    assert prepared(note_id) == []


def test_prepared_query_keeps_values_list_rows():
    # Setting the clone's query made a values_list() query yield dicts.
    note = NoteFactory()
    prepared = PreparedQuery(
        lambda note_id: Note.objects.filter(pk=note_id).values_list("id", "title", named=True), 1
    )
    (row,) = prepared(note.pk)
    assert (row.id, row.title) == (note.pk, note.title)


def test_prepared_query_takes_a_datetime_for_a_keyset_position():
    base = timezone.now().replace(microsecond=0)
    notes = [NoteFactory(published_at=base - timedelta(minutes=i)) for i in range(4)]

    def build(author_id, before):
        return Note.objects.filter(published_at__lt=before).exclude(author_id=author_id)

    prepared = PreparedQuery(build, 2, kinds=(int, datetime))
    for i, note in enumerate(notes):
        expected = {n.pk for n in notes[i + 1 :]}
        assert {n.pk for n in prepared(0, note.published_at)} == expected
    later = base + timedelta(seconds=1)
    assert {n.pk for n in prepared(notes[-1].author_id, later)} == {n.pk for n in notes[:-1]}
