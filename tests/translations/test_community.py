"""Community translations (readers' suggestions, upvotes, the author's acceptance) replacing the
machine one, and "bad translation / wrong language" feedback for moderators."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import NoteFactory, UserFactory
from translations import selectors, services
from translations.models import (
    CommunityTranslation,
    FeedbackKind,
    MachineTranslation,
    MachineTranslationStatus,
    TranslationFeedback,
)
from translations.services import Kind, Reason, TranslationRequest, translation_get

from .servers import fake_translation

ZH = "这家店的牛肉面真的太好吃了"
HUMAN = "The beef noodles here are seriously good"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]
    settings.COMMUNITY_TRANSLATION_ACCEPT_VOTES = 2
    settings.TRANSLATION_PROVIDER = ""


@pytest.fixture
def note(db):
    return NoteFactory(title="", body=ZH)


def _suggest(note, user=None, text=HUMAN, language="en"):
    return services.community_translation_suggest(
        user=user or UserFactory(),
        content=note,
        source_text=note.body,
        language=language,
        text=text,
    )


def _get(note, text=None):
    return translation_get(text=text or note.body, source="zh-Hans", target="en", content=note)


def test_a_suggestion_needs_votes_or_acceptance(note):
    suggestion = _suggest(note)
    assert _get(note).reason == Reason.NOT_CONFIGURED  # not yet: one reader's word
    services.community_translation_vote(user=UserFactory(), suggestion=suggestion)
    assert _get(note).reason == Reason.NOT_CONFIGURED
    services.community_translation_vote(user=UserFactory(), suggestion=suggestion)
    result = _get(note)
    assert result.is_done and result.kind == Kind.COMMUNITY and result.text == HUMAN
    assert result.provider == f"@{suggestion.author.handle}"
    assert result.community_translation_id == suggestion.pk


def test_the_authors_acceptance_wins(note):
    voted = _suggest(note, text="Beef noodles: good")
    for _ in range(3):
        services.community_translation_vote(user=UserFactory(), suggestion=voted)
    accepted = _suggest(note)
    services.community_translation_accept(
        user=note.author, suggestion=accepted, content_author_id=note.author_id
    )
    assert _get(note).text == HUMAN
    other = _suggest(note, text="Noodles!")
    services.community_translation_accept(
        user=note.author, suggestion=other, content_author_id=note.author_id
    )
    assert _get(note).text == "Noodles!"
    assert CommunityTranslation.objects.filter(is_accepted=True).count() == 1


def test_only_the_author_accepts(note):
    suggestion = _suggest(note)
    with pytest.raises(PermissionDenied):
        services.community_translation_accept(
            user=UserFactory(), suggestion=suggestion, content_author_id=note.author_id
        )


def test_one_vote_per_reader_and_none_for_yourself(note):
    suggestion = _suggest(note)
    voter = UserFactory()
    assert services.community_translation_vote(user=voter, suggestion=suggestion)
    assert not services.community_translation_vote(user=voter, suggestion=suggestion)
    with pytest.raises(ValidationError):
        services.community_translation_vote(user=suggestion.author, suggestion=suggestion)
    suggestion.refresh_from_db()
    assert suggestion.upvote_count == 1
    assert services.community_translation_unvote(user=voter, suggestion=suggestion)
    assert not services.community_translation_unvote(user=voter, suggestion=suggestion)
    suggestion.refresh_from_db()
    assert suggestion.upvote_count == 0


def test_a_new_suggestion_replaces_the_readers_previous_one_and_its_votes(note):
    translator = UserFactory()
    suggestion = _suggest(note, user=translator)
    services.community_translation_vote(user=UserFactory(), suggestion=suggestion)
    again = _suggest(note, user=translator, text="Seriously good beef noodles")
    assert again.pk == suggestion.pk and again.upvote_count == 0 and not again.votes.exists()
    assert CommunityTranslation.objects.count() == 1


def test_an_edited_text_makes_the_community_translation_stale(note):
    suggestion = _suggest(note)
    services.community_translation_accept(
        user=note.author, suggestion=suggestion, content_author_id=note.author_id
    )
    assert _get(note, text=f"{ZH}！还有饺子").reason == Reason.NOT_CONFIGURED


def test_hidden_community_translations_are_not_used(note):
    suggestion = _suggest(note)
    services.community_translation_accept(
        user=note.author, suggestion=suggestion, content_author_id=note.author_id
    )
    services.community_translations_hide(ids=[suggestion.pk])
    assert _get(note).reason == Reason.NOT_CONFIGURED


def test_suggestions_are_checked(note):
    with pytest.raises(ValidationError) as exc_info:
        _suggest(note, text="  ", language="xx")
    assert set(exc_info.value.message_dict) == {"text", "language"}
    with pytest.raises(ValidationError):
        _suggest(note, text="x" * 4001)
    assert not CommunityTranslation.objects.exists()


def test_a_batch_mixes_community_and_machine_translations(note, settings, libretranslate_server):
    suggestion = _suggest(note)
    services.community_translation_accept(
        user=note.author, suggestion=suggestion, content_author_id=note.author_id
    )
    other = NoteFactory(body="另一家店的饺子也很好吃")
    results = services.translations_get_many(
        requests=[
            TranslationRequest(text=note.body, source="zh-Hans", content=note),
            TranslationRequest(text=other.body, source="zh-Hans", content=other),
        ],
        target="en",
    )
    assert [r.kind for r in results] == [Kind.COMMUNITY, Kind.MACHINE]
    assert results[1].state in ("pending", "done")
    assert libretranslate_server.texts_sent() in ([], [other.body])  # never the community one's


@pytest.mark.django_db(transaction=True)
def test_bad_translation_feedback_is_recorded_and_retranslates(libretranslate_server, settings):
    note = NoteFactory(title="", body=ZH)
    reader = UserFactory()
    shown = _get(note)
    assert shown.text == fake_translation(ZH, "en")
    outcome = services.translation_feedback_record(
        user=reader,
        content=note,
        kind=FeedbackKind.BAD_TRANSLATION,
        text=note.body,
        source="zh-Hans",
        target="en",
        shown=shown,
        comment="It is about noodles, not rice",
    )
    assert outcome.created and outcome.detection is None
    feedback = TranslationFeedback.objects.get()
    assert (feedback.kind, feedback.language, feedback.provider) == (
        "bad_translation",
        "en",
        "LibreTranslate",
    )
    assert feedback.translation_text == shown.text and feedback.machine_translation is not None
    assert MachineTranslation.objects.get().status == MachineTranslationStatus.FAILED
    # The next reader gets a new translation; reporting again changes nothing.
    assert _get(note).is_done and len(libretranslate_server.calls) == 2
    again = services.translation_feedback_record(
        user=reader,
        content=note,
        kind="bad_translation",
        text=note.body,
        source="zh-Hans",
        target="en",
    )
    assert not again.created and TranslationFeedback.objects.count() == 1
    assert MachineTranslation.objects.get().status == MachineTranslationStatus.DONE


def test_wrong_language_feedback_detects_again(note, settings):
    settings.TRANSLATION_PROVIDER = ""
    outcome = services.translation_feedback_record(
        user=UserFactory(),
        content=note,
        kind=FeedbackKind.WRONG_LANGUAGE,
        text="這家店的牛肉麵真的太好吃了",
        source="zh-Hans",
    )
    assert outcome.detection is not None and outcome.detection.language == "zh-Hant"
    assert TranslationFeedback.objects.get().detected_language == "zh-Hans"


def test_feedback_kind_and_comment_are_checked(note):
    with pytest.raises(ValidationError):
        services.translation_feedback_record(
            user=UserFactory(), content=note, kind="rude", text=ZH, source="zh-Hans"
        )
    with pytest.raises(ValidationError):
        services.translation_feedback_record(
            user=UserFactory(),
            content=note,
            kind="bad_translation",
            text=ZH,
            source="zh-Hans",
            comment="x" * 501,
        )
    assert not TranslationFeedback.objects.exists()


def test_admin_lists_translations_and_feedback(admin_client, note):
    suggestion = _suggest(note)
    services.translation_feedback_record(
        user=UserFactory(), content=note, kind="wrong_language", text=ZH, source="zh-Hans"
    )
    for path in ("machinetranslation", "communitytranslation", "translationfeedback"):
        assert admin_client.get(f"/admin/translations/{path}/").status_code == 200
    response = admin_client.post(
        "/admin/translations/communitytranslation/",
        {"action": "hide", "_selected_action": [suggestion.pk]},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.is_hidden
    feedback = TranslationFeedback.objects.get()
    assert (
        admin_client.get(
            f"/admin/translations/translationfeedback/{feedback.pk}/change/"
        ).status_code
        == 200
    )


@pytest.mark.parametrize("size", [3, 30])
def test_a_thread_costs_the_same_queries_whatever_its_size(
    db,
    size,
    libretranslate_server,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    notes = [NoteFactory(body=f"{ZH} {n}") for n in range(size)]
    requests = [TranslationRequest(text=n.body, source="zh-Hans", content=n) for n in notes]
    with django_capture_on_commit_callbacks(execute=True):
        services.translations_get_many(requests=requests, target="en")
    # Cached now: a community lookup and a cache read, whatever the number of texts.
    with django_assert_max_num_queries(3):
        results = services.translations_get_many(requests=requests, target="en")
    assert all(r.is_done and r.cached for r in results)


def test_a_notes_title_and_body_have_their_own_community_translations(db):
    note = NoteFactory(title="周末去苏州", body=ZH)
    for part, text, human in (
        ("title", note.title, "A weekend in Suzhou"),
        ("body", note.body, HUMAN),
    ):
        suggestion = services.community_translation_suggest(
            user=UserFactory(), content=note, source_text=text, language="en", text=human, part=part
        )
        services.community_translation_accept(
            user=note.author, suggestion=suggestion, content_author_id=note.author_id
        )
    results = services.translations_get_many(
        requests=[
            TranslationRequest(text=note.title, source="zh-Hans", content=note, part="title"),
            TranslationRequest(text=note.body, source="zh-Hans", content=note, part="body"),
        ],
        target="en",
    )
    assert [r.text for r in results] == ["A weekend in Suzhou", HUMAN]
    assert CommunityTranslation.objects.filter(is_accepted=True).count() == 2


def test_community_translations_list_for_a_reader(note, django_assert_num_queries):
    first, second = _suggest(note, text="one"), _suggest(note, text="two")
    hidden = _suggest(note, text="hidden")
    services.community_translations_hide(ids=[hidden.pk])
    reader = UserFactory()
    services.community_translation_vote(user=reader, suggestion=second)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_model(note)  # cached for the process, as in a request
    with django_assert_num_queries(1):
        listed = [
            (t.text, t.voted, t.author.handle)
            for t in selectors.community_translations_list(
                content=note, language="en", viewer=reader
            )
        ]
    assert listed == [("two", True, second.author.handle), ("one", False, first.author.handle)]
    assert [
        t.voted for t in selectors.community_translations_list(content=note, language="en")
    ] == [
        False,
        False,
    ]


def test_changes_are_announced_after_commit_and_only_when_something_changed(
    note, django_capture_on_commit_callbacks
):
    """`community_translation_changed` (what the note page cache listens to) for a suggestion, a
    vote, an acceptance, hiding; nothing for a repeat that changes nothing."""
    from django.contrib.contenttypes.models import ContentType

    from translations import events

    sent = []

    def receiver(**kwargs):
        sent.append((kwargs["content_type_id"], kwargs["object_id"]))

    events.community_translation_changed.connect(receiver, dispatch_uid="test.community")
    try:
        voter = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            suggestion = _suggest(note)
            _suggest(note, user=suggestion.author)  # the same words again: nothing changed
            services.community_translation_vote(user=voter, suggestion=suggestion)
            services.community_translation_vote(user=voter, suggestion=suggestion)  # again
            services.community_translation_accept(
                user=note.author, suggestion=suggestion, content_author_id=note.author_id
            )
            services.community_translation_accept(
                user=note.author, suggestion=suggestion, content_author_id=note.author_id
            )
            services.community_translations_hide(ids=[suggestion.pk])
            services.community_translations_hide(ids=[suggestion.pk])
    finally:
        events.community_translation_changed.disconnect(dispatch_uid="test.community")
    target = (ContentType.objects.get_for_model(note).pk, note.pk)
    assert sent == [target] * 4  # suggested, voted, accepted, hidden
