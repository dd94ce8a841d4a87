"""Keyword rules on translations, against a local server speaking LibreTranslate's API: a
rule in one language holds text written in another once its translation matches (after the
post, never making it wait); a translation already cached refuses at once; a provider that
is down or unreachable never turns posting into an error; text that is not public is not sent
to a third-party provider for screening."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from moderation.models import HeldContent, KeywordAction
from moderation.services.keywords import keyword_rule_create
from notes.models import Comment, Note, NoteStatus, Visibility
from tests.api import assert_error
from tests.factories import FollowFactory, NoteFactory, NoteImageFactory, UserFactory
from tests.translations.servers import FakeProviderServer, Reply, configure, libretranslate_answer
from translations.services import TranslationRequest, translations_get_many

pytestmark = pytest.mark.django_db(transaction=True)

ZH_COMMENT = "这家店的牛肉面真的太好吃了"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]
    settings.TRANSLATION_PROVIDER = ""
    settings.TRANSLATION_MAX_RETRIES = 1
    settings.TRANSLATION_RETRY_BASE_SECONDS = 0
    settings.TRANSLATION_QUOTA_CHARACTERS_PER_HOUR = 20_000


@pytest.fixture
def provider(settings):
    with FakeProviderServer(libretranslate_answer) as server:
        configure(settings, "libretranslate", server)
        yield server


@pytest.fixture
def alice():
    return UserFactory(handle="alice", languages=["en"], read_languages=["en"])


@pytest.fixture
def bob():
    return UserFactory(handle="bob", languages=["zh-Hans"], read_languages=["zh-Hans"])


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


def english_rule(action=KeywordAction.HOLD, message=""):
    # The fake provider's English translations read "[en] this is the translation of text …".
    return keyword_rule_create(
        moderator=None, term="translation", language="en", action=action, message=message
    )


def test_english_rule_holds_a_chinese_comment_through_its_translation(provider, alice, bob):
    english_rule()
    note = NoteFactory(author=alice)
    response = api(bob).post(f"/api/v1/notes/{note.pk}/comments/", {"body": ZH_COMMENT})
    assert response.status_code == 201, response.content
    comment = Comment.objects.get()
    # Posted, then held once its translation matched after the commit (with eager tasks, as
    # here, before the answer was written: it already says so).
    assert comment.is_held and response.json()["moderation"] == {"held": True}
    hold = HeldContent.objects.get()
    assert (hold.matched_term, hold.matched_in) == ("translation", "en")
    assert ZH_COMMENT in provider.texts_sent()
    thread = api(alice).get(f"/api/v1/notes/{note.pk}/comments/").json()["results"]
    assert thread == []
    note.refresh_from_db()
    assert note.comment_count == 0

    moderator = UserFactory(handle="mod", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_heldcontent_change", args=[hold.pk]))
    text = page.content.decode()
    assert "Translation into English" in text
    assert "this is the translation of text" in text  # the cached translation, shown


def test_english_rule_holds_a_chinese_note_through_its_translation(provider, alice, bob):
    english_rule()
    media = NoteImageFactory(owner=bob, pending=True)
    response = api(bob).post(
        "/api/v1/notes/",
        {"title": "大理古城一日游", "body": ZH_COMMENT, "media_ids": [media.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    note = Note.objects.get()
    assert note.status == NoteStatus.HELD
    assert HeldContent.objects.get().matched_in == "en"
    assert api(alice).get(f"/api/v1/notes/{note.pk}/").status_code == 404
    assert api(bob).get(f"/api/v1/notes/{note.pk}/").json()["status"] == "held"


def test_a_cached_translation_refuses_at_once(provider, alice, bob):
    translations_get_many(
        requests=[TranslationRequest(text=ZH_COMMENT, source="zh-Hans")], target="en"
    )
    english_rule(action=KeywordAction.REFUSE, message="Not here.")
    note = NoteFactory(author=alice)
    response = api(bob).post(f"/api/v1/notes/{note.pk}/comments/", {"body": ZH_COMMENT})
    body = assert_error(response, 400, "body")
    assert body["errors"]["body"] == ["Not here."]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("failure", ["error", "unreachable"])
def test_provider_down_never_fails_posting(settings, alice, bob, failure):
    english_rule()
    note = NoteFactory(author=alice)
    if failure == "unreachable":
        with FakeProviderServer(libretranslate_answer) as server:
            configure(settings, "libretranslate", server)
        # The server is gone: nothing answers at its address any more.
        response = api(bob).post(f"/api/v1/notes/{note.pk}/comments/", {"body": ZH_COMMENT})
    else:
        with FakeProviderServer(lambda call: Reply(status=500, body={"error": "down"})) as server:
            configure(settings, "libretranslate", server)
            response = api(bob).post(f"/api/v1/notes/{note.pk}/comments/", {"body": ZH_COMMENT})
            assert server.calls  # it was asked, and failed
    assert response.status_code == 201, response.content
    comment = Comment.objects.get()
    assert not comment.is_held and not HeldContent.objects.exists()
    thread = api(alice).get(f"/api/v1/notes/{note.pk}/comments/").json()["results"]
    assert [c["id"] for c in thread] == [comment.pk]


def test_text_that_is_not_public_is_not_sent_to_a_third_party_provider(provider, alice, bob):
    english_rule()
    note = NoteFactory(author=alice, visibility=Visibility.FOLLOWERS)
    FollowFactory(follower=bob, followee=alice)
    response = api(bob).post(f"/api/v1/notes/{note.pk}/comments/", {"body": ZH_COMMENT})
    assert response.status_code == 201, response.content
    assert ZH_COMMENT not in provider.texts_sent()
    assert not Comment.objects.get().is_held


def test_screening_that_breaks_after_the_post_is_logged_not_a_500(
    provider, alice, bob, monkeypatch, caplog
):
    english_rule()

    def broken(*args, **kwargs):
        raise RuntimeError("screening bug")

    monkeypatch.setattr("notes.services.comments.translation_matches", broken)
    note = NoteFactory(author=alice)
    response = api(bob).post(f"/api/v1/notes/{note.pk}/comments/", {"body": ZH_COMMENT})
    assert response.status_code == 201, response.content
    assert not Comment.objects.get().is_held
    assert "keyword screening of comment" in caplog.text
