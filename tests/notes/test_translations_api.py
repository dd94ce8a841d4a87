"""The translation API: a note's, a comment's and a thread's translation (200, 202 while being
made, 503 without a provider or with one that is down, 400 for a bad `lang`, 404 for what the
reader may not see, 429 past the quota), community over machine, privacy, and batching (one
provider call for a thread)."""

import pytest
from rest_framework.test import APIClient

from notes import services
from notes.models import Visibility
from tests.factories import NoteFactory, UserFactory
from tests.translations.servers import (  # noqa: F401 (fixtures)
    FakeProviderServer,
    Reply,
    configure,
    fake_translation,
    libretranslate_answer,
)
from translations import services as translation_services
from translations.models import MachineTranslation

pytestmark = pytest.mark.django_db(transaction=True)

ZH_TITLE = "大理古城一日游"
ZH_BODY = "这家店的牛肉面真的太好吃了"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]
    settings.TRANSLATION_PROVIDER = ""
    settings.TRANSLATION_MAX_RETRIES = 1
    settings.TRANSLATION_RETRY_BASE_SECONDS = 0
    settings.TRANSLATION_QUOTA_CHARACTERS_PER_HOUR = 20_000
    settings.COMMUNITY_TRANSLATION_ACCEPT_VOTES = 2


@pytest.fixture
def libretranslate_server(settings):
    """A local server speaking LibreTranslate's API, set as the site's provider."""
    with FakeProviderServer(libretranslate_answer) as server:
        configure(settings, "libretranslate", server)
        yield server


@pytest.fixture
def author():
    return UserFactory(languages=["zh-Hans"], read_languages=["zh-Hans"])


@pytest.fixture
def note(author):
    return NoteFactory(author=author, title=ZH_TITLE, body=ZH_BODY, language="zh-Hans")


@pytest.fixture
def english_reader():
    return UserFactory(languages=["en"], read_languages=["en"])


@pytest.fixture
def api(english_reader):
    client = APIClient()
    client.force_authenticate(english_reader)
    return client


def _note_url(note, lang="en"):
    return f"/api/v1/notes/{note.pk}/translation/?lang={lang}"


def test_note_translation_machine_then_cached(api, note, libretranslate_server):
    first = api.get(_note_url(note))
    assert first.status_code == 200, first.content
    data = first.json()
    assert data["title"] == fake_translation(ZH_TITLE, "en")
    assert data["body"] == fake_translation(ZH_BODY, "en")
    assert data["text"] == f"{data['title']}\n\n{data['body']}"
    assert (data["source_language"], data["target_language"]) == ("zh-Hans", "en")
    assert (data["provider"], data["kind"], data["cached"]) == ("LibreTranslate", "machine", False)
    assert len(libretranslate_server.calls) == 1  # title and body in one call
    again = APIClient().get(_note_url(note)).json()  # a visitor: the shared cache
    assert again["cached"] is True and again["text"] == data["text"]
    assert len(libretranslate_server.calls) == 1


def test_comment_translation_and_community_over_machine(
    api, note, author, english_reader, libretranslate_server
):
    comment = services.comment_create(
        author=author, note=note, body="欢迎来大理", language="zh-Hans"
    )
    url = f"/api/v1/comments/{comment.pk}/translation/?lang=en"
    machine = api.get(url).json()
    assert machine["kind"] == "machine" and machine["text"] == fake_translation("欢迎来大理", "en")
    translator = UserFactory(handle="mei")
    suggestion = translation_services.community_translation_suggest(
        user=translator, content=comment, source_text=comment.body, language="en", text="Welcome!"
    )
    translation_services.community_translation_accept(
        user=author, suggestion=suggestion, content_author_id=author.pk
    )
    community = api.get(url).json()
    assert community == {
        "text": "Welcome!",
        "source_language": "zh-Hans",
        "target_language": "en",
        "provider": "@mei",
        "kind": "community",
        "cached": True,
    }


def test_no_provider_is_503_with_detail_and_community_still_works(api, note, author):
    response = api.get(_note_url(note))
    assert response.status_code == 503
    assert "not set up" in response.json()["detail"]
    comment = services.comment_create(author=author, note=note, body="你好", language="zh-Hans")
    suggestion = translation_services.community_translation_suggest(
        user=UserFactory(), content=comment, source_text="你好", language="en", text="Hello"
    )
    translation_services.community_translation_accept(
        user=author, suggestion=suggestion, content_author_id=author.pk
    )
    response = api.get(f"/api/v1/comments/{comment.pk}/translation/?lang=en")
    assert response.status_code == 200 and response.json()["text"] == "Hello"


def test_provider_down_is_503_never_500(api, note, settings):
    with FakeProviderServer(lambda call: Reply(status=500, body={"error": "boom"})) as server:
        configure(settings, "libretranslate", server)
        response = api.get(_note_url(note))
    assert response.status_code == 503
    assert response.json()["detail"]


@pytest.mark.django_db(transaction=False)
def test_pending_is_202_then_200(
    api, note, libretranslate_server, django_capture_on_commit_callbacks
):
    # A worker would make it: the callback that enqueues is captured, not run.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.get(_note_url(note))
    assert response.status_code == 202
    assert response["Retry-After"]
    assert response.json()["text"] == ""
    for callback in callbacks:
        callback()  # the worker's turn (eager)
    response = api.get(_note_url(note))
    assert response.status_code == 200 and response.json()["body"]


@pytest.mark.parametrize("lang", ["xx", "EN", ""])
def test_bad_lang_is_400_naming_it(api, note, libretranslate_server, lang):
    response = api.get(f"/api/v1/notes/{note.pk}/translation/?lang={lang}")
    if lang == "":
        assert response.status_code == 200  # default: the reader's language
        return
    assert response.status_code == 400
    assert "lang" in response.json()["errors"]


def test_same_language_is_400(api, note, libretranslate_server):
    response = api.get(_note_url(note, lang="zh-Hans"))
    assert response.status_code == 400 and "lang" in response.json()["errors"]


def test_invisible_note_and_comment_are_404(api, author, libretranslate_server):
    private = NoteFactory(author=author, title=ZH_TITLE, visibility=Visibility.PRIVATE)
    assert api.get(_note_url(private)).status_code == 404
    comment = services.comment_create(
        author=author, note=private, body="只有我", language="zh-Hans"
    )
    assert api.get(f"/api/v1/comments/{comment.pk}/translation/").status_code == 404
    assert api.post(f"/api/v1/notes/{private.pk}/comments/translation/").status_code == 404


def test_followers_only_text_is_not_sent_to_a_third_party(author, libretranslate_server):
    note = NoteFactory(
        author=author,
        title=ZH_TITLE,
        body=ZH_BODY,
        language="zh-Hans",
        visibility=Visibility.FOLLOWERS,
    )
    client = APIClient()
    client.force_authenticate(author)
    response = client.get(_note_url(note))
    assert response.status_code == 503
    assert libretranslate_server.calls == []


def test_quota_is_429(api, note, settings, libretranslate_server):
    settings.TRANSLATION_QUOTA_CHARACTERS_PER_HOUR = 5
    response = api.get(_note_url(note))
    assert response.status_code == 429
    assert response.json()["detail"] and response["Retry-After"]
    assert libretranslate_server.calls == []


def test_thread_translation_is_one_provider_call(api, note, author, libretranslate_server):
    others = [UserFactory(languages=["zh-Hans"], read_languages=["zh-Hans"]) for _ in range(3)]
    top = services.comment_create(
        author=others[0], note=note, body="第一条评论", language="zh-Hans"
    )
    services.comment_create(
        author=others[1], note=note, body="第二条回复", parent=top, language="zh-Hans"
    )
    services.comment_create(author=others[2], note=note, body="第三条评论", language="zh-Hans")
    services.comment_create(author=author, note=note, body="thanks all", language="en")
    response = api.post(f"/api/v1/notes/{note.pk}/comments/translation/?lang=en", {}, format="json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert len(results) == 4
    done = [r for r in results if r["status"] == "done"]
    assert {r["text"] for r in done} == {
        fake_translation(text, "en") for text in ("第一条评论", "第二条回复", "第三条评论")
    }
    assert [r["status"] for r in results if r["status"] != "done"] == ["unavailable"]
    assert len(libretranslate_server.calls) == 1
    assert MachineTranslation.objects.count() == 3
    # Asked again, with the ids the client shows: all cached, no call.
    ids = [r["comment_id"] for r in results]
    again = api.post(
        f"/api/v1/notes/{note.pk}/comments/translation/?lang=en", {"ids": ids}, format="json"
    ).json()["results"]
    assert all(r["cached"] for r in again if r["status"] == "done")
    assert len(libretranslate_server.calls) == 1


def test_thread_translation_leaves_out_other_notes_comments(
    api, note, author, libretranslate_server
):
    other_note = NoteFactory(author=author, language="zh-Hans")
    elsewhere = services.comment_create(
        author=author, note=other_note, body="别处的评论", language="zh-Hans"
    )
    response = api.post(
        f"/api/v1/notes/{note.pk}/comments/translation/?lang=en",
        {"ids": [elsewhere.pk]},
        format="json",
    )
    assert response.status_code == 200 and response.json()["results"] == []


def test_thread_translation_without_provider_is_503(api, note, author):
    services.comment_create(author=author, note=note, body="第一条评论", language="zh-Hans")
    response = api.post(f"/api/v1/notes/{note.pk}/comments/translation/", {}, format="json")
    assert response.status_code == 503 and response.json()["detail"]


def test_html_in_a_provider_answer_is_returned_as_plain_text(api, note, settings):
    def answer(call):
        return Reply(body={"translatedText": ["<b>bold</b>", "<script>x</script>"]})

    with FakeProviderServer(answer) as server:
        configure(settings, "libretranslate", server)
        data = api.get(_note_url(note)).json()
    assert data["body"] == "<script>x</script>"  # JSON carries it as text; clients escape


def test_visitors_quota_is_counted_by_address(note, settings, libretranslate_server):
    settings.TRANSLATION_QUOTA_CHARACTERS_PER_HOUR = len(ZH_TITLE) + len(ZH_BODY) + 5
    first = APIClient(REMOTE_ADDR="203.0.113.7")
    assert first.get(_note_url(note)).status_code == 200
    other = NoteFactory(
        author=note.author, title="另一篇笔记", body=ZH_BODY + "！", language="zh-Hans"
    )
    assert first.get(_note_url(other)).status_code == 429
    # Another address has its own quota.
    assert APIClient(REMOTE_ADDR="203.0.113.8").get(_note_url(other)).status_code == 200


def test_thread_translation_refuses_bad_ids(api, note):
    url = f"/api/v1/notes/{note.pk}/comments/translation/"
    for ids in (["x"], [2**64], list(range(1, 200))):
        response = api.post(url, {"ids": ids}, format="json")
        assert response.status_code == 400 and "ids" in response.json()["errors"]
