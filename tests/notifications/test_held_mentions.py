"""Mentions in content a keyword rule held: nobody mentioned hears of it while it is held;
approval tells exactly the people newly mentioned, once, through the mention notifications of
a normal publication (blocks respected); a rejection tells nobody."""

import pytest

from accounts import services as accounts_services
from moderation.keywords import content_match
from moderation.models import HeldContent, KeywordAction
from moderation.services import holds as hold_services
from moderation.services.keywords import keyword_rule_create
from notes.models import Note, NoteStatus
from notes.services import comments as comment_services
from notes.services import notes as note_services
from notes.services import screening
from notifications.models import NotificationKind
from tests.factories import NoteFactory, NoteImageFactory, UserFactory

from .conftest import entries_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]
    settings.TRANSLATION_PROVIDER = ""


@pytest.fixture
def people(db):
    return {name: UserFactory(handle=name) for name in ("mei", "ann", "bo", "cy", "mod")}


@pytest.fixture
def hold_rule(db):
    return keyword_rule_create(
        moderator=None, term="cheap followers", language="", action=KeywordAction.HOLD, message=""
    )


def mentions_of(user) -> list[tuple[str, int | None, int | None]]:
    kinds = (NotificationKind.NOTE_MENTION, NotificationKind.COMMENT_MENTION)
    return [(e.kind, e.note_id, e.comment_id) for e in entries_of(user, kind__in=kinds)]


def test_held_new_comment_tells_the_mentioned_only_once_approved(
    run_events, people, hold_rule, captured_events
):
    mei, ann, bo = people["mei"], people["ann"], people["bo"]
    note = NoteFactory(author=mei)
    comment = run_events(
        comment_services.comment_create, author=ann, note=note, body="cheap followers @bo"
    )
    assert comment.is_held
    assert mentions_of(bo) == [] and entries_of(mei) == []
    assert "comment_created" not in captured_events.names()

    [hold] = HeldContent.objects.all()
    assert run_events(hold_services.hold_approve, moderator=people["mod"], hold=hold)
    assert mentions_of(bo) == [(NotificationKind.COMMENT_MENTION, note.pk, comment.pk)]
    [created] = captured_events.of("comment_created")
    assert created["mentioned_user_ids"] == [bo.pk]
    # Approving again does nothing; bo stays told once.
    assert not run_events(hold_services.hold_approve, moderator=people["mod"], hold=hold)
    assert len(mentions_of(bo)) == 1


def test_held_new_note_tells_the_mentioned_only_once_approved(
    run_events, people, hold_rule, captured_events
):
    mei, bo = people["mei"], people["bo"]
    media = NoteImageFactory(owner=mei, pending=True)
    note = run_events(
        note_services.note_create,
        author=mei,
        media_ids=[media.pk],
        title="Tips",
        body="cheap followers, ask @bo",
    )
    note.refresh_from_db()
    assert note.status == NoteStatus.HELD
    assert list(note.mentions.all()) == []  # recorded, and told, on approval
    assert mentions_of(bo) == []
    assert "note_mentioned" not in captured_events.names()

    [hold] = HeldContent.objects.all()
    run_events(hold_services.hold_approve, moderator=people["mod"], hold=hold)
    assert mentions_of(bo) == [(NotificationKind.NOTE_MENTION, note.pk, None)]
    assert captured_events.of("note_mentioned") == [
        {"note_id": note.pk, "author_id": mei.pk, "user_ids": [bo.pk]}
    ]


def test_held_edit_tells_only_the_newly_mentioned_on_approval(
    run_events, people, hold_rule, captured_events
):
    mei, ann, bo, cy = people["mei"], people["ann"], people["bo"], people["cy"]
    accounts_services.block_create(blocker=cy, blocked=mei)
    note = NoteFactory(author=mei, body="Hi @ann")
    note.mentions.set([ann])  # published mentioning ann, who was told then

    run_events(note_services.note_update, note=note, body="cheap followers @ann @bo @cy @mei")
    note.refresh_from_db()
    assert note.status == NoteStatus.HELD
    assert mentions_of(bo) == [] and "note_mentioned" not in captured_events.names()
    assert list(note.mentions.all()) == [ann]

    # Edited again while waiting for review, with text that passes: still nobody told.
    run_events(note_services.note_update, note=note, body="Hi @ann @bo @cy @mei and @cy")
    assert mentions_of(bo) == [] and "note_mentioned" not in captured_events.names()

    [hold] = HeldContent.objects.all()
    run_events(hold_services.hold_approve, moderator=people["mod"], hold=hold)
    note.refresh_from_db()
    assert note.status == NoteStatus.PUBLISHED
    # bo only: ann was mentioned before, cy blocks the author, mei wrote it.
    assert captured_events.of("note_mentioned") == [
        {"note_id": note.pk, "author_id": mei.pk, "user_ids": [bo.pk]}
    ]
    assert mentions_of(bo) == [(NotificationKind.NOTE_MENTION, note.pk, None)]
    assert mentions_of(cy) == [] and mentions_of(mei) == []
    assert sorted(u.handle for u in note.mentions.all()) == ["ann", "bo", "mei"]


def test_held_edit_already_announced_is_not_announced_again(
    run_events, people, hold_rule, captured_events
):
    """A note published with a mention, edited to add another, then held (its translation
    matched later, or by hand here): approval announces nobody again."""
    mei, bo = people["mei"], people["bo"]
    note = NoteFactory(author=mei, body="Hello")
    run_events(note_services.note_update, note=note, body="Hello @bo")
    assert len(mentions_of(bo)) == 1
    match = content_match({"body": "cheap followers"}, language="en")
    run_events(screening.note_hold, note=note, match=match)
    captured_events.clear()
    [hold] = HeldContent.objects.all()
    run_events(hold_services.hold_approve, moderator=people["mod"], hold=hold)
    assert "note_mentioned" not in captured_events.names()
    assert len(mentions_of(bo)) == 1


def test_rejected_held_content_tells_nobody(run_events, people, hold_rule, captured_events):
    mei, ann, bo, cy = people["mei"], people["ann"], people["bo"], people["cy"]
    note = NoteFactory(author=mei, body="Hi")
    run_events(comment_services.comment_create, author=ann, note=note, body="cheap followers @cy")
    run_events(note_services.note_update, note=note, body="cheap followers @bo")
    assert HeldContent.objects.count() == 2
    for hold in HeldContent.objects.all():
        assert run_events(hold_services.hold_reject, moderator=people["mod"], hold=hold)
    assert mentions_of(bo) == [] and mentions_of(cy) == []
    assert "note_mentioned" not in captured_events.names()
    assert "comment_created" not in captured_events.names()
    assert Note.objects.get(pk=note.pk).is_hidden


def test_held_edit_widening_a_private_note_tells_everyone_it_mentions_on_approval(
    run_events, people, hold_rule, captured_events
):
    """A private note's mentions were never announced: a held edit making it public tells them
    all on approval, as an edit that was not held would have."""
    mei, ann, bo = people["mei"], people["ann"], people["bo"]
    note = NoteFactory(author=mei, body="Hi @ann", visibility="private")
    note.mentions.set([ann])
    run_events(
        note_services.note_update,
        note=note,
        body="Hi @ann and @bo, cheap followers",
        visibility="public",
    )
    assert "note_mentioned" not in captured_events.names()
    assert mentions_of(ann) == [] and mentions_of(bo) == []
    [hold] = HeldContent.objects.all()
    run_events(hold_services.hold_approve, moderator=people["mod"], hold=hold)
    [mentioned] = captured_events.of("note_mentioned")
    assert sorted(mentioned["user_ids"]) == sorted([ann.pk, bo.pk])
    assert len(mentions_of(ann)) == 1 and len(mentions_of(bo)) == 1
