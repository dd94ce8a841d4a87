"""Comment services: two-level threading, the rules (visibility, blocks, text), deletion rights
and cascades, counters, and events sent after commit only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from moderation.registry import registry
from notes import services
from notes.models import COMMENT_MAX_LENGTH, Comment, CommentLike, Note, Visibility
from tests.factories import BlockFactory, FollowFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(user):
    return NoteFactory(author=user, title="Suzhou gardens")


@pytest.fixture
def carol(db):
    return UserFactory(handle="carol", display_name="Carol")


def _counts(note):
    return Note.objects.values_list("comment_count", flat=True).get(pk=note.pk)


def _replies(comment):
    return Comment.objects.values_list("reply_count", flat=True).get(pk=comment.pk)


def test_top_level_comment_counts_on_the_note(note, other_user):
    comment = services.comment_create(author=other_user, note=note, body="  So pretty!\r\n ")
    assert comment.parent is None and comment.reply_to is None
    assert comment.body == "So pretty!"
    assert _counts(note) == 1


def test_reply_to_a_reply_attaches_to_the_top_level_comment(note, user, other_user, carol):
    top = services.comment_create(author=other_user, note=note, body="first")
    reply = services.comment_create(author=user, note=note, body="thanks", parent=top)
    answer = services.comment_create(author=carol, note=note, body="me too", parent=reply)
    assert reply.parent == top and reply.reply_to == other_user
    assert answer.parent == top and answer.reply_to == user
    assert _replies(top) == 2
    assert _counts(note) == 3


def test_reply_to_a_comment_of_another_note_is_refused(note, user, other_user):
    elsewhere = services.comment_create(author=other_user, note=NoteFactory(), body="hi")
    with pytest.raises(ValidationError) as exc:
        services.comment_create(author=user, note=note, body="x", parent=elsewhere)
    assert "parent_id" in exc.value.message_dict
    assert not Comment.objects.filter(note=note).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something first."),
        ("   \n ", "Write something first."),
        ("x" * (COMMENT_MAX_LENGTH + 1), "at most"),
        ("bad\x00byte", "control characters"),
        ("bell\x07", "control characters"),
        (" ".join(f"@user{i}" for i in range(11)), "mention at most"),
    ],
)
def test_bad_text_is_a_field_error_and_stores_nothing(note, other_user, body, message):
    with pytest.raises(ValidationError) as exc:
        services.comment_create(author=other_user, note=note, body=body)
    assert message in " ".join(exc.value.message_dict["body"])
    assert Comment.objects.count() == 0
    assert _counts(note) == 0


def test_longest_comment_and_line_breaks_are_fine(note, other_user):
    body = "a\n\tb" + "x" * (COMMENT_MAX_LENGTH - 4)
    assert services.comment_create(author=other_user, note=note, body=body).body == body


def test_unknown_language_is_refused(note, other_user):
    with pytest.raises(ValidationError) as exc:
        services.comment_create(author=other_user, note=note, body="hi", language="xx")
    assert "language" in exc.value.message_dict


def test_language_given_is_stored(note, other_user):
    comment = services.comment_create(author=other_user, note=note, body="你好", language="zh-Hans")
    assert comment.language == "zh-Hans"


@pytest.mark.parametrize(
    "fields",
    [
        {"visibility": Visibility.PRIVATE},
        {"visibility": Visibility.FOLLOWERS},
        {"is_hidden": True},
        {"processing": True},
    ],
)
def test_only_a_note_the_commenter_may_see(user, other_user, fields):
    note = NoteFactory(author=user, **fields)
    with pytest.raises(ValidationError) as exc:
        services.comment_create(author=other_user, note=note, body="hi")
    assert "note" in exc.value.message_dict
    assert not Comment.objects.exists()


def test_a_follower_may_comment_on_a_followers_only_note(user, other_user):
    note = NoteFactory(author=user, visibility=Visibility.FOLLOWERS)
    FollowFactory(follower=other_user, followee=user)
    assert services.comment_create(author=other_user, note=note, body="hi")


@pytest.mark.parametrize("direction", ["author_blocks", "commenter_blocks"])
def test_no_comment_across_a_block_with_the_note_author(note, user, other_user, direction):
    if direction == "author_blocks":
        BlockFactory(blocker=user, blocked=other_user)
    else:
        BlockFactory(blocker=other_user, blocked=user)
    with pytest.raises(ValidationError):
        services.comment_create(author=other_user, note=note, body="hi")


@pytest.mark.parametrize("direction", ["replier_blocks", "answered_blocks"])
def test_no_reply_across_a_block_with_the_person_answered(note, user, other_user, carol, direction):
    top = services.comment_create(author=user, note=note, body="top")
    reply = services.comment_create(author=other_user, note=note, body="reply", parent=top)
    if direction == "replier_blocks":
        BlockFactory(blocker=carol, blocked=other_user)
    else:
        BlockFactory(blocker=other_user, blocked=carol)
    with pytest.raises(ValidationError) as exc:
        services.comment_create(author=carol, note=note, body="x", parent=reply)
    assert "parent_id" in exc.value.message_dict
    # Carol may still answer the top-level comment, whose author she has no block with.
    assert services.comment_create(author=carol, note=note, body="ok", parent=top)
    assert _replies(top) == 2


def test_no_reply_in_a_thread_opened_by_someone_in_a_block(note, other_user, carol):
    top = services.comment_create(author=other_user, note=note, body="top")
    BlockFactory(blocker=other_user, blocked=carol)
    with pytest.raises(ValidationError):
        services.comment_create(author=carol, note=note, body="x", parent=top)


def test_no_reply_to_a_hidden_comment(note, other_user, carol):
    top = services.comment_create(author=other_user, note=note, body="top")
    services.comment_hide(target=top)
    with pytest.raises(ValidationError):
        services.comment_create(author=carol, note=note, body="x", parent=top)


def test_mentions_are_recorded_except_self_and_blocked(note, user, other_user, carol):
    dave = UserFactory(handle="dave")
    BlockFactory(blocker=dave, blocked=other_user)
    comment = services.comment_create(
        author=other_user, note=note, body="@alice @carol @bob @dave look"
    )
    assert set(comment.mentions.all()) == {user, carol}


# --- Deletion -----------------------------------------------------------------------------


def test_delete_own_comment(note, other_user):
    comment = services.comment_create(author=other_user, note=note, body="oops")
    services.comment_delete(actor=other_user, comment=comment)
    assert not Comment.objects.exists()
    assert _counts(note) == 0


def test_note_author_may_delete_any_comment_on_their_note(note, user, other_user):
    comment = services.comment_create(author=other_user, note=note, body="spam")
    services.comment_delete(actor=user, comment=comment)
    assert not Comment.objects.exists()


def test_others_may_not_delete(note, other_user, carol):
    comment = services.comment_create(author=other_user, note=note, body="mine")
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=carol, comment=comment)
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_deleting_a_top_level_comment_takes_its_replies(note, user, other_user, carol):
    top = services.comment_create(author=other_user, note=note, body="top")
    services.comment_create(author=carol, note=note, body="r1", parent=top)
    services.comment_create(author=user, note=note, body="r2", parent=top)
    other = services.comment_create(author=carol, note=note, body="another")
    assert _counts(note) == 4
    services.comment_delete(actor=other_user, comment=top)
    assert list(Comment.objects.all()) == [other]
    assert _counts(note) == 1


def test_deleting_a_reply_updates_both_counters(note, other_user, carol):
    top = services.comment_create(author=other_user, note=note, body="top")
    reply = services.comment_create(author=carol, note=note, body="r1", parent=top)
    services.comment_delete(actor=carol, comment=reply)
    assert _replies(top) == 0
    assert _counts(note) == 1


def test_deleting_twice_counts_once(note, other_user):
    comment = services.comment_create(author=other_user, note=note, body="x")
    services.comment_create(author=other_user, note=note, body="y")
    services.comment_delete(actor=other_user, comment=comment)
    services.comment_delete(actor=other_user, comment=comment)
    assert _counts(note) == 1


# --- Moderation ---------------------------------------------------------------------------


def test_comments_are_registered_for_moderation():
    assert registry.is_registered(Comment)


def test_hide_and_unhide_keep_counters_right(note, user, other_user, carol):
    top = services.comment_create(author=other_user, note=note, body="top")
    reply = services.comment_create(author=carol, note=note, body="r", parent=top)
    actions = registry.actions_for(Comment)
    actions.hide(target=reply)
    assert (_counts(note), _replies(top)) == (1, 0)
    actions.hide(target=top)
    assert _counts(note) == 0
    actions.unhide(target=reply)  # under a hidden comment: still not counted on the note
    assert (_counts(note), _replies(top)) == (0, 1)
    actions.unhide(target=top)
    assert _counts(note) == 2
    actions.delete(target=top)
    assert _counts(note) == 0 and not Comment.objects.exists()


# --- Likes --------------------------------------------------------------------------------


def test_like_and_unlike_are_idempotent_and_counted(note, other_user, carol):
    comment = services.comment_create(author=other_user, note=note, body="x")
    assert services.comment_like(user=carol, comment=comment) is True
    assert services.comment_like(user=carol, comment=comment) is False
    comment.refresh_from_db()
    assert comment.like_count == 1
    assert services.comment_unlike(user=carol, comment=comment) is True
    assert services.comment_unlike(user=carol, comment=comment) is False
    comment.refresh_from_db()
    assert comment.like_count == 0
    assert not CommentLike.objects.exists()


# --- Events -------------------------------------------------------------------------------


def test_events_are_sent_after_commit_with_the_agreed_arguments(
    note, user, other_user, carol, captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        top = services.comment_create(author=other_user, note=note, body="hi @carol")
        assert captured_events.sent == []
    reply = None
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.comment_create(author=carol, note=note, body="hey", parent=top)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_like(user=user, comment=reply)
        services.comment_unlike(user=user, comment=reply)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_delete(actor=user, comment=top)
    assert captured_events.sent == [
        (
            "comment_created",
            {
                "comment_id": top.pk,
                "note_id": note.pk,
                "note_author_id": user.pk,
                "author_id": other_user.pk,
                "parent_id": None,
                "reply_to_user_id": None,
                "mentioned_user_ids": [carol.pk],
            },
        ),
        (
            "comment_created",
            {
                "comment_id": reply.pk,
                "note_id": note.pk,
                "note_author_id": user.pk,
                "author_id": carol.pk,
                "parent_id": top.pk,
                "reply_to_user_id": other_user.pk,
                "mentioned_user_ids": [],
            },
        ),
        (
            "comment_liked",
            {"comment_id": reply.pk, "note_id": note.pk, "user_id": user.pk, "author_id": carol.pk},
        ),
        (
            "comment_unliked",
            {"comment_id": reply.pk, "note_id": note.pk, "user_id": user.pk, "author_id": carol.pk},
        ),
        ("comment_deleted", {"comment_id": top.pk, "note_id": note.pk, "author_id": other_user.pk}),
    ]


def test_a_rolled_back_comment_sends_nothing(
    note, other_user, captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.comment_create(author=other_user, note=note, body="x")
                raise RuntimeError
        except RuntimeError:
            pass
    assert captured_events.sent == []
    assert not Comment.objects.exists()


def test_a_refused_comment_sends_nothing(
    note, other_user, captured_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.comment_create(author=other_user, note=note, body="")
    assert captured_events.sent == []


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("这个窗台面包太标准了，原来俄亥俄的猫也会揣手手", "zh-Hans"),
        ("I had to look up that word and now I'm obsessed with it", "en"),
        ("欢迎欢迎！welcome to 小红书, the food posts will make you hungry", "mixed"),
    ],
)
def test_language_is_detected_when_not_given(note, other_user, body, language):
    comment = services.comment_create(author=other_user, note=note, body=body)
    assert comment.language == language


def test_before_publication_judges_the_note_as_it_will_be_published(user, other_user):
    processing = NoteFactory(author=user, processing=True)
    with pytest.raises(ValidationError):
        services.comment_create(author=other_user, note=processing, body="early")
    assert services.comment_create(
        author=other_user, note=processing, body="seeded", before_publication=True
    )
    private = NoteFactory(author=user, processing=True, visibility=Visibility.PRIVATE)
    followers = NoteFactory(author=user, processing=True, visibility=Visibility.FOLLOWERS)
    for note in (private, followers):
        with pytest.raises(ValidationError):
            services.comment_create(author=other_user, note=note, body="x", before_publication=True)
    BlockFactory(blocker=user, blocked=other_user)
    with pytest.raises(ValidationError):
        services.comment_create(
            author=other_user, note=processing, body="x", before_publication=True
        )
