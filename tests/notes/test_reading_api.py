"""The reading API: `GET /api/v1/notes/<id>/reading/` and `/comments/<id>/reading/` — the
shapes (segments that concatenate to the text, pinyin, gloss ids, slang ids, the note's title),
Traditional ↔ Simplified for the reader or `?script=`, mixed text by its main language, the
same visibility as the note and comment endpoints (404), and a constant query count."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import block_create
from notes.models import Comment, Visibility
from tests.factories import FollowFactory, NoteFactory, UserFactory
from translations.models import GlossaryStatus, GlossaryTerm
from translations.reading import glossary_changed

pytestmark = pytest.mark.django_db

ZH_TITLE = "银行旁边"
ZH_BODY = "我去银行取钱，然后在河边行走。"
HANT_BODY = "這個軟體很好用"


@pytest.fixture(autouse=True)
def _languages(settings):
    settings.CONTENT_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko"]


@pytest.fixture
def author():
    return UserFactory(handle="tangtang", languages=["zh-Hans"], read_languages=["zh-Hans"])


@pytest.fixture
def note(author):
    return NoteFactory(
        author=author, title=ZH_TITLE, body=ZH_BODY, language="zh-Hans", language_main="zh-Hans"
    )


def _comment(note, author, body, language, main=None, **fields) -> Comment:
    return Comment.objects.create(
        note=note,
        author=author,
        body=body,
        language=language,
        language_main=main or language,
        **fields,
    )


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _reader(*reads: str, handle: str = "reader"):
    return UserFactory(handle=handle, languages=list(reads), read_languages=list(reads))


def _note_url(note) -> str:
    return reverse("api:note-reading", kwargs={"note_id": note.pk})


def _comment_url(comment) -> str:
    return reverse("api:comment-reading", kwargs={"comment_id": comment.pk})


def _text(segments) -> str:
    return "".join(segment["text"] for segment in segments)


def test_route_names(note, author):
    comment = _comment(note, author, "好", "zh-Hans")
    assert _note_url(note) == f"/api/v1/notes/{note.pk}/reading/"
    assert _comment_url(comment) == f"/api/v1/comments/{comment.pk}/reading/"


def test_note_reading_shape(note):
    response = _api(_reader("en")).get(_note_url(note))
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {"language", "segments", "title"}
    assert data["language"] == "zh-Hans"
    assert _text(data["segments"]) == ZH_BODY
    assert _text(data["title"]["segments"]) == ZH_TITLE
    by_text = {segment["text"]: segment for segment in data["segments"]}
    # Polyphones read in their word: 银行 yínháng, 行走 xíngzǒu.
    assert by_text["银行"]["pinyin"] == "yínháng" and by_text["银行"]["gloss_id"] == "银行"
    assert by_text["行走"]["pinyin"] == "xíngzǒu"
    # Punctuation: text only.
    assert by_text["，"] == {"text": "，"}
    for segment in data["segments"]:
        assert set(segment) <= {"text", "pinyin", "gloss_id", "slang_id"}
    assert data["title"]["segments"][0] == {"text": "银行", "pinyin": "yínháng", "gloss_id": "银行"}


def test_annotations_are_full_whatever_the_readers_setting(note):
    # The client asked: a Chinese reader with reading aids off gets them too.
    reader = _reader("zh-Hans")
    reader.reading_aids = "off"
    reader.save(update_fields=["reading_aids"])
    data = _api(reader).get(_note_url(note)).json()
    assert any(segment.get("pinyin") for segment in data["segments"])


def test_visitor_reads_a_public_note(note):
    response = _api().get(_note_url(note))
    assert response.status_code == 200
    assert _text(response.json()["segments"]) == ZH_BODY


def test_english_comment_has_lemma_glosses_and_slang(note, author):
    GlossaryTerm.objects.create(
        term="no cap",
        language="en",
        explanation_en="Honestly, no lie.",
        explanation_zh="不骗你，说真的。",
        status=GlossaryStatus.APPROVED,
    )
    glossary_changed()
    term = GlossaryTerm.objects.get(term="no cap")
    comment = _comment(note, author, "The banks here are great, no cap.", "en")
    data = _api(_reader("zh-Hans")).get(_comment_url(comment)).json()
    assert data["language"] == "en" and "script_converted" not in data
    assert _text(data["segments"]) == comment.body
    by_text = {segment["text"]: segment for segment in data["segments"]}
    assert by_text["banks"]["gloss_id"] == "bank"
    assert "pinyin" not in by_text["banks"]
    assert by_text["no cap"]["slang_id"] == term.pk


def test_other_languages_are_plain_segments(note, author):
    comment = _comment(note, author, "とても美しい景色ですね", "ja")
    data = _api(_reader("en")).get(_comment_url(comment)).json()
    assert data["language"] == "ja"
    assert _text(data["segments"]) == comment.body
    assert all(set(segment) == {"text"} for segment in data["segments"])


def test_zh_hans_reader_gets_a_zh_hant_comment_in_simplified(note, author):
    comment = _comment(note, author, HANT_BODY, "zh-Hant")
    data = _api(_reader("zh-Hans")).get(_comment_url(comment)).json()
    assert data["script_converted"] == "zh-Hant"
    assert data["language"] == "zh-Hans"
    assert _text(data["segments"]) == "这个软件很好用"
    assert any(segment.get("gloss_id") == "软件" for segment in data["segments"])


def test_a_reader_of_both_scripts_gets_the_original(note, author):
    comment = _comment(note, author, HANT_BODY, "zh-Hant")
    data = _api(_reader("zh-Hans", "zh-Hant")).get(_comment_url(comment)).json()
    assert "script_converted" not in data
    assert _text(data["segments"]) == HANT_BODY


def test_visitor_with_the_chinese_interface_gets_simplified(note, author, settings):
    comment = _comment(note, author, HANT_BODY, "zh-Hant")
    client = _api()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    data = client.get(_comment_url(comment)).json()
    assert data["script_converted"] == "zh-Hant"
    assert _text(data["segments"]) == "这个软件很好用"
    # An English visitor reads neither script: the text stays as written.
    assert "script_converted" not in _api().get(_comment_url(comment)).json()


def test_mixed_text_counts_by_its_main_language(note, author):
    comment = _comment(note, author, "這個軟體 is so good", "mixed", main="zh-Hant")
    data = _api(_reader("zh-Hans")).get(_comment_url(comment)).json()
    # Converted because its main language is Traditional, and named by it.
    assert data["script_converted"] == "zh-Hant" and data["language"] == "zh-Hans"
    assert _text(data["segments"]) == "这个软件 is so good"
    # Mainly English: a zh-Hans reader of English is given it as written.
    english = _comment(note, author, "這個 is so good, really so good", "mixed", main="en")
    data = _api(_reader("zh-Hans", "en", handle="both")).get(_comment_url(english)).json()
    assert "script_converted" not in data
    # Not converted, a mixed text is annotated as mixed: both its languages.
    assert data["language"] == "mixed"
    by_text = {segment["text"]: segment for segment in data["segments"]}
    assert by_text["這個"]["pinyin"] == "zhège" and by_text["good"]["gloss_id"] == "good"


def test_script_parameter_asks_for_a_script(note, author):
    hans = _comment(note, author, "这个软件很好用", "zh-Hans")
    reader = _api(_reader("zh-Hans"))
    data = reader.get(_comment_url(hans), {"script": "zh-Hant"}).json()
    assert data["script_converted"] == "zh-Hans" and data["language"] == "zh-Hant"
    assert _text(data["segments"]) == HANT_BODY
    # Already in that script: as written.
    same = reader.get(_comment_url(hans), {"script": "zh-Hans"}).json()
    assert "script_converted" not in same and _text(same["segments"]) == hans.body
    # The note: title and text both converted.
    data = reader.get(_note_url(note), {"script": "zh-Hant"}).json()
    assert data["script_converted"] == "zh-Hans"
    assert _text(data["title"]["segments"]) == "銀行旁邊"
    # English is not converted.
    english = _comment(note, author, "Nice software", "en")
    data = reader.get(_comment_url(english), {"script": "zh-Hant"}).json()
    assert "script_converted" not in data and _text(data["segments"]) == "Nice software"


@pytest.mark.parametrize("script", ["en", "zh", "zh-hans", "zh-Hans,zh-Hant"])
def test_script_parameter_refuses_other_values(note, script):
    response = _api(_reader("en")).get(_note_url(note), {"script": script})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and list(body["errors"]) == ["script"]


def test_empty_script_parameter_is_the_default(note, author):
    comment = _comment(note, author, HANT_BODY, "zh-Hant")
    data = _api(_reader("zh-Hans")).get(_comment_url(comment), {"script": ""}).json()
    assert data["script_converted"] == "zh-Hant"


def test_empty_title_has_no_segments(author):
    untitled = NoteFactory(author=author, title="", body=ZH_BODY, language="zh-Hans")
    data = _api(_reader("en")).get(_note_url(untitled)).json()
    assert data["title"] == {"segments": []}
    assert _text(data["segments"]) == ZH_BODY


# --- Visibility: as the note and comment endpoints ----------------------------------------------


def _both_404(client, note_url: str, detail_url: str) -> None:
    assert client.get(detail_url).status_code == 404
    response = client.get(note_url)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_missing_note_and_comment_are_404():
    client = _api(_reader("en"))
    assert client.get("/api/v1/notes/999999/reading/").status_code == 404
    assert client.get("/api/v1/comments/999999/reading/").status_code == 404


def test_hidden_note_is_404_for_others_but_read_by_its_author(author):
    hidden = NoteFactory(author=author, body=ZH_BODY, language="zh-Hans", is_hidden=True)
    _both_404(_api(_reader("en")), _note_url(hidden), f"/api/v1/notes/{hidden.pk}/")
    _both_404(_api(), _note_url(hidden), f"/api/v1/notes/{hidden.pk}/")
    own = _api(author)
    assert own.get(f"/api/v1/notes/{hidden.pk}/").status_code == 200
    assert own.get(_note_url(hidden)).status_code == 200


def test_hidden_and_held_comments_are_404_for_others(note, author):
    commenter = UserFactory(handle="commenter")
    hidden = _comment(note, commenter, "藏起来的评论", "zh-Hans", is_hidden=True)
    held = _comment(note, commenter, "等待审核的评论", "zh-Hans", is_held=True)
    other = _api(_reader("en"))
    for comment in (hidden, held):
        _both_404(other, _comment_url(comment), f"/api/v1/comments/{comment.pk}/")
    own = _api(commenter)
    for comment in (hidden, held):
        expected = own.get(f"/api/v1/comments/{comment.pk}/").status_code
        assert own.get(_comment_url(comment)).status_code == expected


def test_deleted_note_takes_its_comments_reading_with_it(note, author):
    comment = _comment(note, author, "好", "zh-Hans")
    note_url, comment_url = _note_url(note), _comment_url(comment)
    note.delete()
    client = _api(_reader("en"))
    assert client.get(note_url).status_code == 404
    assert client.get(comment_url).status_code == 404


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.FOLLOWERS])
def test_private_and_followers_only_notes_are_404_to_others(author, visibility):
    note = NoteFactory(author=author, body=ZH_BODY, language="zh-Hans", visibility=visibility)
    comment = _comment(note, author, "好", "zh-Hans")
    stranger = _api(_reader("en"))
    _both_404(stranger, _note_url(note), f"/api/v1/notes/{note.pk}/")
    _both_404(stranger, _comment_url(comment), f"/api/v1/comments/{comment.pk}/")
    _both_404(_api(), _note_url(note), f"/api/v1/notes/{note.pk}/")
    assert _api(author).get(_note_url(note)).status_code == 200
    if visibility == Visibility.FOLLOWERS:
        follower = _reader("en", handle="follower")
        FollowFactory(follower=follower, followee=author)
        assert _api(follower).get(_note_url(note)).status_code == 200
        assert _api(follower).get(_comment_url(comment)).status_code == 200


@pytest.mark.parametrize("direction", ["blocks", "blocked_by"])
def test_blocked_either_way_is_404(note, author, direction):
    reader = _reader("en")
    comment = _comment(note, author, "好", "zh-Hans")
    if direction == "blocks":
        block_create(blocker=reader, blocked=author)
    else:
        block_create(blocker=author, blocked=reader)
    client = _api(reader)
    _both_404(client, _note_url(note), f"/api/v1/notes/{note.pk}/")
    _both_404(client, _comment_url(comment), f"/api/v1/comments/{comment.pk}/")


# --- Cost ---------------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_text(author, django_assert_num_queries):
    reader = _reader("zh-Hans")
    client = _api(reader)
    short = NoteFactory(author=author, body="银行", language="zh-Hans")
    long = NoteFactory(author=author, body=ZH_BODY * 40, language="zh-Hans")
    hant = _comment(long, author, HANT_BODY * 20, "zh-Hant")
    # Warm the process (dictionaries, the slang matcher) and the annotation cache.
    for url in (_note_url(short), _note_url(long), _comment_url(hant)):
        assert client.get(url).status_code == 200

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(_note_url(short))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(_note_url(long))
    with CaptureQueriesContext(connection) as comment_queries:
        client.get(_comment_url(hant))
    assert len(first.captured_queries) <= 2
    assert len(comment_queries.captured_queries) <= 2


def test_title_only_note_names_its_language_and_conversion(author):
    titled = NoteFactory(author=author, title="這個軟體", body="", language="zh-Hant")
    data = _api(_reader("zh-Hans")).get(_note_url(titled)).json()
    assert data["segments"] == []
    assert data["script_converted"] == "zh-Hant" and data["language"] == "zh-Hans"
    assert _text(data["title"]["segments"]) == "这个软件"
