"""Domain events of notes: each sent by the service that should, after commit only, with the
right ids; a rolled-back write sends nothing; a failing receiver never fails the request."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import Block
from notes import events, services
from notes.models import Hashtag, NoteStatus, Visibility
from notes.parsing import MAX_HASHTAGS_PER_NOTE
from tests.factories import BoardFactory, NoteFactory, NoteImageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """`with run_on_commit():` — the block's on-commit callbacks run when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _post(author, *, run_on_commit, **fields):
    """Post a note with one photo and process it (eager tasks), as the composer does."""
    upload = NoteImageFactory(owner=author, pending=True)
    fields.setdefault("title", "Suzhou gardens")
    with run_on_commit():
        note = services.note_create(author=author, media_ids=[upload.pk], **fields)
    note.refresh_from_db()
    assert note.status == NoteStatus.PUBLISHED
    return note


# --- note_published at publication ---------------------------------------------------------


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.FOLLOWERS])
def test_publication_sends_note_published_with_visibility_after_commit(
    user, captured_events, django_capture_on_commit_callbacks, visibility
):
    upload = NoteImageFactory(owner=user, pending=True)
    with django_capture_on_commit_callbacks(execute=True):
        note = services.note_create(
            author=user, media_ids=[upload.pk], title="t", visibility=visibility
        )
        assert captured_events.sent == []  # nothing before commit
    assert captured_events.sent == [
        ("note_published", {"note_id": note.pk, "author_id": user.pk, "visibility": visibility})
    ]


def test_publication_of_a_private_note_sends_nothing(
    user, other_user, captured_events, run_on_commit
):
    note = _post(user, run_on_commit=run_on_commit, body="@bob", visibility="private")
    assert list(note.mentions.all()) == [other_user]
    assert captured_events.sent == []


def test_publication_announces_everyone_mentioned_but_the_author(
    user, other_user, captured_events, run_on_commit
):
    carol = UserFactory(handle="carol")
    note = _post(user, run_on_commit=run_on_commit, body="@carol @bob and me, @alice")
    assert captured_events.of("note_mentioned") == [
        {"note_id": note.pk, "author_id": user.pk, "user_ids": [other_user.pk, carol.pk]}
    ]


# --- Visibility changes on edit ------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("private", "public", [("note_published", "public")]),
        ("private", "followers", [("note_published", "followers")]),
        ("followers", "public", [("note_published", "public")]),
        ("public", "followers", [("note_withdrawn", "followers")]),
        ("public", "private", [("note_withdrawn", "private")]),
        ("followers", "private", [("note_withdrawn", "private")]),
        ("public", "public", []),
        ("private", "private", []),
    ],
)
def test_note_update_visibility_change_sends_the_right_event(
    user, captured_events, run_on_commit, old, new, expected
):
    note = NoteFactory(author=user, visibility=old)
    with run_on_commit():
        services.note_update(note=note, visibility=new)
    assert [(name, kwargs["visibility"]) for name, kwargs in captured_events.sent] == expected
    for _name, kwargs in captured_events.sent:
        assert (kwargs["note_id"], kwargs["author_id"]) == (note.pk, user.pk)


@pytest.mark.parametrize("state", [{"is_hidden": True}, {"processing": True}])
def test_note_update_of_a_note_out_of_circulation_sends_nothing(
    user, other_user, captured_events, run_on_commit, state
):
    note = NoteFactory(author=user, visibility="private", **state)
    with run_on_commit():
        services.note_update(note=note, visibility="public", body="@bob")
    assert captured_events.sent == []


def test_note_update_widening_from_private_announces_its_mentions(
    user, other_user, captured_events, run_on_commit
):
    note = _post(user, run_on_commit=run_on_commit, body="hi @bob", visibility="private")
    with run_on_commit():
        services.note_update(note=note, visibility="public")
    assert captured_events.names() == ["note_published", "note_mentioned"]
    assert captured_events.of("note_mentioned")[0]["user_ids"] == [other_user.pk]


# --- Mentions on edit: only the newly mentioned --------------------------------------------


def test_note_update_announces_only_newly_mentioned_people(
    user, other_user, captured_events, run_on_commit
):
    carol, dan = UserFactory(handle="carol"), UserFactory(handle="dan")
    note = _post(user, run_on_commit=run_on_commit, body="with @bob")
    captured_events.clear()
    with run_on_commit():
        services.note_update(note=note, body="with @bob, @dan and @carol")
    assert captured_events.sent == [
        (
            "note_mentioned",
            {"note_id": note.pk, "author_id": user.pk, "user_ids": [dan.pk, carol.pk]},
        )
    ]
    captured_events.clear()
    with run_on_commit():  # the same people again, and one fewer: nobody is new
        services.note_update(note=note, body="with @carol and @bob")
    assert captured_events.sent == []
    assert set(note.mentions.all()) == {other_user, carol}


def test_note_update_of_a_private_note_announces_no_mention(
    user, other_user, captured_events, run_on_commit
):
    note = _post(user, run_on_commit=run_on_commit, visibility="private")
    with run_on_commit():
        services.note_update(note=note, body="@bob")
    assert list(note.mentions.all()) == [other_user]
    assert captured_events.sent == []


@pytest.mark.parametrize("author_blocks", [True, False])
def test_a_block_either_way_stops_the_mention(
    user, other_user, captured_events, run_on_commit, author_blocks
):
    blocker, blocked = (user, other_user) if author_blocks else (other_user, user)
    Block.objects.create(blocker=blocker, blocked=blocked)
    carol = UserFactory(handle="carol")
    note = _post(user, run_on_commit=run_on_commit, body="@bob @carol")
    assert list(note.mentions.all()) == [carol]
    assert captured_events.of("note_mentioned")[0]["user_ids"] == [carol.pk]


# --- Hide, unhide, delete ------------------------------------------------------------------


def test_hide_then_unhide_withdraws_then_publishes_without_announcing_mentions_again(
    user, other_user, captured_events, run_on_commit
):
    note = NoteFactory(author=user, visibility="followers")
    note.mentions.add(other_user)
    with run_on_commit():
        services.note_hide(target=note)
        services.note_unhide(target=note)
    ids = {"note_id": note.pk, "author_id": user.pk}
    assert captured_events.sent == [
        ("note_withdrawn", {**ids, "visibility": None}),
        ("note_published", {**ids, "visibility": "followers"}),
    ]


def test_hide_unhide_and_delete_of_a_private_note_send_nothing(
    user, captured_events, run_on_commit
):
    note = NoteFactory(author=user, visibility="private")
    with run_on_commit():
        services.note_hide(target=note)
        services.note_unhide(target=note)
        services.note_delete(note=note)
    assert captured_events.sent == []


def test_note_delete_withdraws_from_everyone(user, captured_events, run_on_commit):
    note = NoteFactory(author=user, body="#walk and #river")
    note_id = note.pk
    services.note_update(note=note, body="#walk and #river")  # records its tags
    tag_ids = sorted(note.hashtags.values_list("pk", flat=True))
    assert len(tag_ids) == 2
    with run_on_commit():
        services.note_delete(note=note)
    # The tags it carried come along: the row that linked them is gone.
    assert captured_events.sent == [
        (
            "note_withdrawn",
            {"note_id": note_id, "author_id": user.pk, "visibility": None, "hashtag_ids": tag_ids},
        )
    ]


# --- Likes and collections -----------------------------------------------------------------


def test_like_and_unlike_send_events_only_when_the_state_changes(
    user, other_user, captured_events, run_on_commit
):
    note = NoteFactory(author=other_user)
    with run_on_commit():
        services.note_like(user=user, note=note)
        services.note_like(user=user, note=note)
        services.note_unlike(user=user, note=note)
        services.note_unlike(user=user, note=note)
    ids = {"note_id": note.pk, "user_id": user.pk, "author_id": other_user.pk}
    assert captured_events.sent == [("note_liked", ids), ("note_unliked", ids)]


def test_collect_and_uncollect_send_events_per_board_only_when_the_state_changes(
    user, other_user, captured_events, run_on_commit
):
    note = NoteFactory(author=other_user)
    trips = BoardFactory(owner=user, name="Trips")
    with run_on_commit():
        services.note_collect(user=user, note=note)
        services.note_collect(user=user, note=note)  # already in "Saved"
        services.note_collect(user=user, note=note, board=trips)
        saved = services.board_get_or_create_saved(owner=user)
        services.note_uncollect(user=user, note=note)  # from all boards
        services.note_uncollect(user=user, note=note)
    ids = {"note_id": note.pk, "user_id": user.pk, "author_id": other_user.pk}
    assert captured_events.sent[:2] == [
        ("note_collected", {**ids, "board_id": saved.pk}),
        ("note_collected", {**ids, "board_id": trips.pk}),
    ]
    assert sorted(captured_events.sent[2:], key=lambda e: e[1]["board_id"]) == sorted(
        [
            ("note_uncollected", {**ids, "board_id": saved.pk}),
            ("note_uncollected", {**ids, "board_id": trips.pk}),
        ],
        key=lambda e: e[1]["board_id"],
    )


# --- Rolled back: nothing ------------------------------------------------------------------


def test_a_rolled_back_write_sends_nothing(user, other_user, captured_events, run_on_commit):
    note = NoteFactory(author=other_user)
    upload = NoteImageFactory(owner=user, pending=True)
    with run_on_commit() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.note_like(user=user, note=note)
            services.note_collect(user=user, note=note)
            services.note_update(note=note, visibility="private")
            services.note_create(author=user, media_ids=[upload.pk], title="t", body="@bob")
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert captured_events.sent == []


# --- Text refused at parsing ---------------------------------------------------------------


def _tags(n: int) -> str:
    return " ".join(f"#tag{i}x" for i in range(n))


def test_a_note_over_the_hashtag_limit_is_refused_naming_the_field(user, other_user):
    note = NoteFactory(author=user)
    with pytest.raises(ValidationError) as exc_info:
        services.note_update(note=note, body=_tags(MAX_HASHTAGS_PER_NOTE + 1))
    assert list(exc_info.value.message_dict) == ["body"]
    assert "31" in exc_info.value.message_dict["body"][0]
    assert not note.hashtags.exists()
    services.note_update(note=note, body=_tags(MAX_HASHTAGS_PER_NOTE))  # the limit itself is fine
    assert note.hashtags.count() == MAX_HASHTAGS_PER_NOTE


def test_api_refuses_31_hashtags_with_a_400_on_body(auth_api_client, user):
    upload = NoteImageFactory(owner=user, pending=True)
    response = auth_api_client.post(
        reverse("api:notes"),
        {"media_ids": [upload.pk], "title": "t", "body": _tags(31)},
        format="json",
    )
    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    assert not Hashtag.objects.exists()


def test_edit_page_refuses_31_hashtags_on_the_text(client, user):
    client.force_login(user)
    note = NoteFactory(author=user)
    response = client.post(
        reverse("notes:edit", args=[note.pk]),
        {"title": "t", "body": _tags(31), "visibility": "public", "location": ""},
    )
    assert response.status_code == 400
    assert "at most 30 hashtags" in response.context["form"].errors["body"][0]


def test_hashtags_typed_composed_or_decomposed_are_one_tag(user):
    note = NoteFactory(author=user)
    services.note_update(note=note, body="#Café and #Cafe\u0301 and #CAFÉ")
    assert list(Hashtag.objects.values_list("name", "display_name")) == [("café", "Café")]
    assert note.hashtags.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "bad\x00title"}, "title"),
        ({"body": "text with a NUL \x00 inside"}, "body"),
        ({"body": "escape \x1b[31m"}, "body"),
        ({"location": "Paris\x7f"}, "location"),
        ({"title": "two\nlines"}, "title"),
    ],
)
def test_control_characters_never_reach_the_database(user, fields, field):
    note = NoteFactory(author=user, title="Kept", body="Kept")
    with pytest.raises(ValidationError) as exc_info:
        services.note_update(note=note, **fields)
    assert field in exc_info.value.message_dict
    note.refresh_from_db()
    assert (note.title, note.body) == ("Kept", "Kept")


def test_control_characters_in_alt_text_and_boards_are_refused(user):
    upload = NoteImageFactory(owner=user, pending=True)
    with pytest.raises(ValidationError) as exc_info:
        services.note_create(
            author=user, media_ids=[upload.pk], title="t", alt_texts={upload.pk: "a\x00b"}
        )
    assert "alt_texts" in exc_info.value.message_dict
    with pytest.raises(ValidationError) as exc_info:
        services.board_create(owner=user, name="Trips\x00", description="d\x1b")
    assert set(exc_info.value.message_dict) == {"name", "description"}


def test_text_keeps_its_line_breaks_and_tabs(user):
    note = NoteFactory(author=user)
    services.note_update(note=note, body="line one\r\nline two\tand a tab")
    note.refresh_from_db()
    assert "line two\tand a tab" in note.body


# --- A receiver that raises ----------------------------------------------------------------


@pytest.fixture
def broken_receiver():
    def receiver(sender, **kwargs):
        raise RuntimeError("the feed store is down")

    events.note_liked.connect(receiver, weak=False, dispatch_uid="test-broken-receiver")
    yield receiver
    events.note_liked.disconnect(dispatch_uid="test-broken-receiver")


def test_a_raising_receiver_is_logged_and_the_api_request_succeeds(
    auth_api_client, user, other_user, broken_receiver, captured_events, run_on_commit, caplog
):
    note = NoteFactory(author=other_user)
    with caplog.at_level(logging.ERROR, logger="rednote.events"), run_on_commit():
        response = auth_api_client.post(reverse("api:note-like", kwargs={"note_id": note.pk}))
    assert response.status_code in (200, 201)
    assert note.likes.filter(user=user).exists()
    (record,) = [r for r in caplog.records if r.name == "rednote.events"]
    message = record.getMessage()
    assert "notes.events.note_liked" in message
    assert f"'note_id': {note.pk}" in message and f"'user_id': {user.pk}" in message
    assert record.exc_info and "the feed store is down" in str(record.exc_info[1])
    assert captured_events.names() == ["note_liked"]  # the other receivers still ran


def test_a_raising_receiver_does_not_fail_the_page_either(
    client, user, other_user, broken_receiver, run_on_commit, caplog
):
    client.force_login(user)
    note = NoteFactory(author=other_user)
    with caplog.at_level(logging.ERROR, logger="rednote.events"), run_on_commit():
        response = client.post(reverse("notes:like", args=[note.pk]))
    assert response.status_code in (200, 302)
    assert note.likes.filter(user=user).exists()
    assert any("note_liked" in r.getMessage() for r in caplog.records)


def test_note_update_adding_a_hashtag_to_a_public_note_publishes_it_again(
    user, captured_events, run_on_commit
):
    """The new tag's followers are newly reached; a removed tag or a followers-only note's
    new tag reaches no one new."""
    note = NoteFactory(author=user, visibility="public", body="#walk")
    only_followers = NoteFactory(author=user, visibility="followers", body="#walk")
    with run_on_commit():
        services.note_update(note=note, body="#walk #river")
        services.note_update(note=only_followers, body="#walk #river")
    assert [(name, kwargs["note_id"]) for name, kwargs in captured_events.sent] == [
        ("note_published", note.pk)
    ]
    captured_events.clear()
    with run_on_commit():
        services.note_update(note=note, body="#river")  # one fewer: nobody new
    assert captured_events.sent == []
