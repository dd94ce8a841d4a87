"""A note's JSON built by `notes.representation` (plain functions, relations cached) is the
JSON DRF's field-by-field `NoteSerializer` gives, byte for byte, for every kind of note and
viewer; the cache is refreshed by edits and the note's events; reads cost a fixed number of
queries."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from accounts.models import User
from notes import selectors, services
from notes.models import Hashtag, Note, NoteImage, NoteStatus
from notes.rendered import note_text_cache_key
from notes.representation import note_parts_cache_key, notes_json
from notes.serializers import NoteSerializer
from tests.factories import BoardFactory, NoteFactory, UserFactory, sample_photo

pytestmark = pytest.mark.django_db


def _request(viewer) -> Request:
    request = Request(APIRequestFactory().get("/api/v1/notes/"))
    request.user = viewer
    return request


def _field_by_field(notes, request) -> bytes:
    """What DRF's ModelSerializer machinery renders for these notes (the reference)."""
    serializer = NoteSerializer(context={"request": request})
    return JSONRenderer().render(
        [serializers.ModelSerializer.to_representation(serializer, note) for note in notes]
    )


def _reference_note(viewer, note_id: int) -> Note:
    """The note with its relations loaded by the ORM, tags and mentions in their order (by
    id; the database picks another per query otherwise)."""
    note = selectors.note_row_get_visible(viewer=viewer, note_id=note_id)
    prefetch_related_objects(
        [note],
        Prefetch("images", queryset=NoteImage.objects.order_by("position")),
        Prefetch("hashtags", queryset=Hashtag.objects.order_by("pk")),
        Prefetch("mentions", queryset=User.objects.filter(is_active=True).order_by("pk")),
    )
    return note


def _rich_note(author, mentioned, **kwargs) -> Note:
    note = NoteFactory(author=author, images=2, **kwargs)
    services.note_update(note=note, body=f"去了#苏州园林[话题]# with @{mentioned.handle} #Walk")
    return note


def test_notes_json_is_byte_identical_to_the_serializer_fields():
    author = UserFactory(display_name="Alice 爱丽丝")
    author.avatar.save("a.webp", ContentFile(sample_photo("grid")), save=True)
    mentioned, viewer = UserFactory(), UserFactory()
    rich = _rich_note(author, mentioned, location="苏州")
    plain = NoteFactory(author=author, images=0, title="", body="just text")
    processing = NoteFactory(author=viewer, processing=True, images=2)
    failed = NoteFactory(author=viewer, processing=True, images=1)
    Note.objects.filter(pk=failed.pk).update(
        status=NoteStatus.FAILED, failure_reason="The photo could not be read."
    )
    services.note_like(user=viewer, note=rich)
    services.note_collect(user=viewer, note=rich, board=BoardFactory(owner=viewer))
    ids = [rich.pk, plain.pk, processing.pk, failed.pk]

    for who in (AnonymousUser(), viewer, author):
        request = _request(who)
        for round_ in ("cold", "cached"):
            notes = [
                _reference_note(who, pk)
                for pk in ids
                if Note.objects.visible_to(who).filter(pk=pk).exists()
            ]
            rows = [selectors.note_row_get_visible(viewer=who, note_id=n.pk) for n in notes]
            expected = _field_by_field(notes, request)
            assert JSONRenderer().render(notes_json(rows, request=request)) == expected, round_
            assert JSONRenderer().render(notes_json(notes, request=request)) == expected
            listed = NoteSerializer(rows, many=True, context={"request": request}).data
            assert JSONRenderer().render(listed) == expected
    # The viewer's own flags and the author-only failure reason are merged per viewer.
    body = notes_json(
        [selectors.note_row_get_visible(viewer=viewer, note_id=rich.pk)],
        request=_request(viewer),
    )[0]
    assert (body["liked"], body["collected"], body["like_count"]) == (True, True, 1)
    failed_body = notes_json(
        [selectors.note_row_get_visible(viewer=viewer, note_id=failed.pk)],
        request=_request(viewer),
    )[0]
    assert failed_body["failure_reason"] == "The photo could not be read."


def test_note_detail_reads_its_relations_from_the_cache(django_assert_num_queries):
    note = _rich_note(UserFactory(), UserFactory())
    client = APIClient()
    path = reverse("api:note-detail", kwargs={"note_id": note.pk})
    # Cold: the row (visibility, author, flags) and images, tags, mentions.
    with django_assert_num_queries(4):
        first = client.get(path).json()
    assert cache.get(note_text_cache_key(note.pk)) is not None
    # Warm: the row only.
    with django_assert_num_queries(1):
        assert client.get(path).json() == first


def test_note_edit_and_events_refresh_the_cached_relations(django_capture_on_commit_callbacks):
    author, mentioned = UserFactory(), UserFactory()
    note = _rich_note(author, mentioned)
    client = APIClient()
    path = reverse("api:note-detail", kwargs={"note_id": note.pk})
    assert [t["name"] for t in client.get(path).json()["hashtags"]] == ["苏州园林", "walk"]

    services.note_update(note=Note.objects.get(pk=note.pk), body="only #river now")
    body = client.get(path).json()
    assert [t["name"] for t in body["hashtags"]] == ["river"] and body["mentions"] == []

    # Withdrawn (made private), then published again: the entries are dropped each time.
    notes_json([Note.objects.get(pk=note.pk)])  # the serializer path's relations
    assert cache.get(note_parts_cache_key(note.pk)) is not None
    assert cache.get(note_text_cache_key(note.pk)) is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.note_update(note=Note.objects.get(pk=note.pk), visibility="private")
    assert cache.get(note_parts_cache_key(note.pk)) is None
    assert cache.get(note_text_cache_key(note.pk)) is None
    assert client.get(path).status_code == 404
    owner = APIClient()
    owner.force_authenticate(author)
    assert owner.get(path).json()["hashtags"][0]["name"] == "river"
    with django_capture_on_commit_callbacks(execute=True):
        services.note_update(note=Note.objects.get(pk=note.pk), visibility="public")
    assert cache.get(note_parts_cache_key(note.pk)) is None
    assert cache.get(note_text_cache_key(note.pk)) is None
    assert client.get(path).json()["visibility"] == "public"


def test_counters_and_flags_are_never_cached():
    note = NoteFactory()
    liker = UserFactory()
    client = APIClient()
    client.force_authenticate(liker)
    path = reverse("api:note-detail", kwargs={"note_id": note.pk})
    assert (client.get(path).json()["like_count"], client.get(path).json()["liked"]) == (0, False)
    services.note_like(user=liker, note=note)
    body = client.get(path).json()
    assert (body["like_count"], body["liked"]) == (1, True)


def test_note_list_page_reads_relations_from_the_cache(django_assert_num_queries):
    author, mentioned = UserFactory(), UserFactory()
    for _ in range(6):
        _rich_note(author, mentioned)
    client = APIClient()
    path = reverse("api:notes") + "?page_size=4"
    # Cold: the page's fresh rows, then its notes with their images, tags and mentions for
    # their rendered texts (`notes.rendered`); warm: the page alone.
    with django_assert_num_queries(5):
        first = client.get(path).json()
    with django_assert_num_queries(1):
        assert client.get(path).json() == first
    # The next page: its notes are not cached yet, and are loaded together.
    with django_assert_num_queries(5):
        assert len(client.get(first["next"]).json()["results"]) == 2


def test_note_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    """The note page: the row with the visibility check, photos, mentioned people (no tags:
    the text links them itself); the signed-in reader adds their row, the relationship, their
    boards and the thread, even when the counter says no comments (their own comments held
    for review are not counted) (the session comes from the cache)."""
    author = UserFactory()
    note = _rich_note(author, UserFactory())
    path = reverse("notes:detail", kwargs={"note_id": note.pk})
    with django_assert_max_num_queries(3):
        assert client.get(path).status_code == 200
    client.force_login(UserFactory())
    client.get(path)  # the first signed-in request records the reader's activity
    # With Redis the session is read from the cache; without it (quick start), from its table.
    session_queries = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    with django_assert_max_num_queries(7 + session_queries):
        assert client.get(path).status_code == 200
