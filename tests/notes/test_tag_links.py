"""A note's hashtag links (`NoteHashtag`) carry a copy of the note's publication time, status,
visibility and hidden flag, which tag pages sort and filter by: every write of those columns
(posting, publication, a failed photo, an edit, hiding and unhiding, deletion, the demo's
backdating) leaves each link equal to its note."""

import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from notes import services
from notes.models import NOTE_STATE_COLUMNS, Hashtag, Note, NoteHashtag, NoteStatus, Visibility
from tests.factories import NoteFactory, NoteImageFactory

pytestmark = pytest.mark.django_db


def _links_of(note: Note) -> list[dict]:
    return list(NoteHashtag.objects.filter(note=note).order_by("pk").values(*NOTE_STATE_COLUMNS))


def assert_links_follow(note: Note) -> None:
    """Each of the note's links holds the note's stored state; the note has some."""
    stored = Note.objects.values(*NOTE_STATE_COLUMNS).get(pk=note.pk)
    links = _links_of(note)
    assert links, "the note should carry hashtags"
    assert links == [stored] * len(links)


def _post(author, body="Tea in #Suzhou and #Hangzhou", **fields) -> Note:
    image = NoteImageFactory(owner=author, pending=True)
    return services.note_create(author=author, media_ids=[image.pk], body=body, **fields)


def test_posting_copies_the_processing_state(user):
    note = _post(user, visibility=Visibility.FOLLOWERS)
    assert_links_follow(note)
    assert _links_of(note)[0]["status"] == NoteStatus.PROCESSING


def test_publication_copies_status_and_time(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = _post(user)
    note.refresh_from_db()
    assert note.status == NoteStatus.PUBLISHED
    assert_links_follow(note)
    assert _links_of(note)[0]["published_at"] == note.published_at


def test_a_failed_photo_copies_the_failure(user, django_capture_on_commit_callbacks):
    image = NoteImageFactory(owner=user, pending=True)
    image.original.storage.delete(image.original.name)
    image.original.storage.save(image.original.name, io.BytesIO(b"not a jpeg any more"))
    with django_capture_on_commit_callbacks(execute=True):
        note = services.note_create(author=user, media_ids=[image.pk], body="#broken")
    note.refresh_from_db()
    assert note.status == NoteStatus.FAILED
    assert_links_follow(note)


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.FOLLOWERS])
def test_an_edit_of_visibility_copies_it(user, visibility):
    note = NoteFactory(author=user, body="#suzhou")
    services.note_update(note=note, body=note.body)  # parses the tag
    services.note_update(note=note, visibility=visibility)
    assert_links_follow(note)
    assert _links_of(note)[0]["visibility"] == visibility


def test_a_tag_added_by_an_edit_starts_with_the_notes_state(user):
    note = NoteFactory(author=user, visibility=Visibility.FOLLOWERS, body="#suzhou")
    services.note_update(note=note, body="#suzhou #hangzhou")
    assert NoteHashtag.objects.filter(note=note).count() == 2
    assert_links_follow(note)


def test_hiding_and_unhiding_copy_the_flag(user):
    note = NoteFactory(author=user, body="#suzhou")
    services.note_update(note=note, body=note.body)
    services.note_hide(target=note)
    assert_links_follow(note)
    assert _links_of(note)[0]["is_hidden"] is True
    services.note_unhide(target=note)
    assert_links_follow(note)
    assert _links_of(note)[0]["is_hidden"] is False


def test_deleting_the_note_deletes_its_links(user):
    note = NoteFactory(author=user, body="#suzhou")
    services.note_update(note=note, body=note.body)
    services.note_delete(note=note)
    assert not NoteHashtag.objects.exists()
    assert Hashtag.objects.filter(name="suzhou").exists()


def test_links_added_through_the_field_copy_the_note(user):
    """`Note.hashtags.add/set/create` (tests, shell, the tagging service) copy the state."""
    note = NoteFactory(author=user, visibility=Visibility.FOLLOWERS, is_hidden=True)
    note.hashtags.add(Hashtag.objects.create(name="a", display_name="A"))
    note.hashtags.create(name="b", display_name="B")
    note.hashtags.set([*note.hashtags.all(), Hashtag.objects.create(name="c", display_name="C")])
    assert NoteHashtag.objects.filter(note=note).count() == 3
    assert_links_follow(note)


def test_follow_notes_writes_only_the_links_of_those_notes(user):
    tag = Hashtag.objects.create(name="a", display_name="A")
    one, two = NoteFactory(author=user), NoteFactory(author=user)
    one.hashtags.add(tag)
    two.hashtags.add(tag)
    Note.objects.filter(pk__in=[one.pk, two.pk]).update(visibility=Visibility.PRIVATE)
    assert NoteHashtag.objects.follow_notes([one.pk]) == 1
    assert _links_of(one)[0]["visibility"] == Visibility.PRIVATE
    assert _links_of(two)[0]["visibility"] == Visibility.PUBLIC


def test_demo_backdating_is_copied_before_and_after_publication(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        call_command("seed_demo", "--notes", "2", stdout=StringIO())
    notes = list(Note.objects.filter(hashtag_links__isnull=False).distinct())
    assert len(notes) == 2
    for note in notes:
        assert note.published_at < timezone.now() - timedelta(days=1)  # backdated
        assert_links_follow(note)  # still processing, with its time to come
    for task in queued:  # the worker, later
        task()
    for note in notes:
        assert_links_follow(note)
        assert _links_of(note)[0]["status"] == NoteStatus.PUBLISHED
