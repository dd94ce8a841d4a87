"""Reading aids on the note page and its comment fragments (`notes.reading`): who gets pinyin,
glosses and slang tooltips on which text (languages read, "languages I'm learning", the
"Reading aids" switch, a visitor's interface language), Traditional ↔ Simplified conversion
with the original at hand (and no machine translation offered for it), every fragment that
shows comments, and page queries that do not grow with the thread."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from notes import bilingual, services
from tests.factories import NoteFactory, UserFactory
from translations.models import GlossaryStatus, GlossaryTerm
from translations.reading import glossary_changed

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BANK = "<ruby>银<rt>yín</rt></ruby><ruby>行<rt>háng</rt></ruby>"
TRADITIONAL = "推薦你裝一個好用的軟體，網路上資訊很多"
SIMPLIFIED = "推荐你装一个好用的软件，网络上信息很多"


@pytest.fixture
def author(db):
    return UserFactory(handle="mei", languages=["zh-Hans"], read_languages=["zh-Hans"])


@pytest.fixture
def chinese_note(author):
    return NoteFactory(
        author=author, title="周末去银行", body="我去银行取钱 #银行", language="zh-Hans"
    )


@pytest.fixture
def no_cap(db):
    term = GlossaryTerm.objects.create(
        term="no cap",
        language="en",
        explanation_en="For real; not lying.",
        explanation_zh="说真的，不骗你。",
        example="Best noodles in town, no cap.",
        status=GlossaryStatus.APPROVED,
    )
    glossary_changed()
    return term


def _url(note):
    return reverse("notes:detail", kwargs={"note_id": note.pk})


def _page(client, note, **extra):
    response = client.get(_url(note), **extra)
    assert response.status_code == 200
    return response.content.decode()


def _signed_in(client, **fields):
    reader = UserFactory(**fields)
    client.force_login(reader)
    return client


def _block(html, kind, pk):
    """The reading block of a note or comment (and what follows it, without CSRF tokens)."""
    start = html.index(f'id="reading-{kind}-{pk}"')
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", html[start : start + 6000])


# --- Who gets which aids ---------------------------------------------------------------------
def test_an_english_reader_gets_pinyin_and_glosses_on_a_chinese_note(client, chinese_note):
    html = _page(_signed_in(client), chinese_note)
    block = _block(html, "note", chinese_note.pk)
    assert 'x-data="readingBlock"' in block
    assert f'data-gloss="银行">{BANK}</span>' in block
    assert 'data-testid="pinyin-toggle"' in block and 'aria-pressed="false"' in block
    # The title is annotated too (no links there); the body keeps its hashtag link.
    title = re.search(r'<h1 class="note-title".*?</h1>', html, re.S).group(0)
    assert BANK in title and "<a " not in title
    assert f'href="{reverse("feeds:tag", kwargs={"name": "银行"})}">#银行</a>' in html
    assert f'data-dictionary-url="{reverse("translations:dictionary")}"' in block
    assert "css/reading.css" in html and "js/reading.js" in html


def test_an_english_note_gets_no_aids_for_an_english_reader(client, author):
    note = NoteFactory(author=author, title="Weekend", body="Went to the bank", language="en")
    html = _page(_signed_in(client), note)
    assert 'x-data="readingBlock"' not in html and "<ruby>" not in html
    assert "Went to the bank" in html


def test_reading_aids_off_shows_none(client, chinese_note):
    html = _page(_signed_in(client, reading_aids="off"), chinese_note)
    assert "<ruby>" not in html and 'x-data="readingBlock"' not in html
    assert "我去银行取钱" in html


def test_the_learning_list_decides(client, chinese_note):
    # Learning Japanese only: Chinese text gets nothing, though the reader does not read it.
    html = _page(_signed_in(client, learning_languages=["ja"]), chinese_note)
    assert "<ruby>" not in html
    # Reading Chinese already, and learning it: aids on.
    client.logout()
    html = _page(
        _signed_in(client, read_languages=["en", "zh-Hans"], learning_languages=["zh-Hans"]),
        chinese_note,
    )
    assert BANK in html


def test_a_chinese_reader_gets_english_words_and_slang_explained_in_chinese(
    client, chinese_note, no_cap
):
    comment = services.comment_create(
        author=UserFactory(),
        note=chinese_note,
        body="This place is the best, no cap",
        language="en",
    )
    reader = _signed_in(
        client, languages=["zh-Hans"], read_languages=["zh-Hans"], ui_language="zh-hans"
    )
    html = _page(reader, chinese_note)
    assert "<ruby>" not in _block_or_empty(html, "note", chinese_note.pk)
    block = _block(html, "comment", comment.pk)
    assert 'class="rd-slang"' in block and 'data-slang-term="no cap"' in block
    assert 'data-slang-text="说真的，不骗你。"' in block
    assert 'data-gloss="place"' in block
    # No pinyin switch on English text.
    assert 'data-testid="pinyin-toggle"' not in block


def _block_or_empty(html, kind, pk):
    return _block(html, kind, pk) if f'id="reading-{kind}-{pk}"' in html else ""


def test_an_english_reader_gets_the_slang_explained_in_english(client, author, no_cap):
    note = NoteFactory(author=author, title="面馆", body="这家面馆太好吃了", language="zh-Hans")
    comment = services.comment_create(
        author=UserFactory(), note=note, body="这家面馆 no cap 最好吃", language="zh-Hans"
    )
    html = _page(_signed_in(client, learning_languages=["zh-Hans"]), note)
    block = _block(html, "comment", comment.pk)
    assert 'data-slang-text="For real; not lying."' in block


# --- Traditional ↔ Simplified ------------------------------------------------------------------
def test_a_simplified_reader_sees_a_traditional_comment_converted(client, chinese_note):
    comment = services.comment_create(
        author=UserFactory(languages=["zh-Hant"]),
        note=chinese_note,
        body=TRADITIONAL,
        language="zh-Hant",
    )
    reader = _signed_in(
        client, languages=["zh-Hans"], read_languages=["zh-Hans"], ui_language="zh-hans"
    )
    html = _page(reader, chinese_note)
    block = _block(html, "comment", comment.pk)
    assert SIMPLIFIED in block  # not annotated: the reader reads Chinese
    assert 'data-testid="reading-converted"' in block
    with translation.override("zh-hans"):
        assert translation.gettext("Converted from Traditional Chinese") in block
    assert 'data-testid="reading-show-original"' in block
    original = re.search(r'data-testid="comment-original".*?</p>', block, re.S).group(0)
    assert TRADITIONAL in original and 'lang="zh-Hant"' in original and "hidden" in original
    assert re.search(r'data-testid="comment-body" lang="zh-Hans"', block)
    # Read through the conversion: no machine translation offered.
    assert f'id="translation-comment-{comment.pk}"' not in html


def test_a_traditional_reader_sees_a_simplified_note_converted(client, author):
    note = NoteFactory(author=author, title="软件推荐", body="这个软件很好用", language="zh-Hans")
    reader = _signed_in(client, languages=["zh-Hant"], read_languages=["zh-Hant"])
    html = _page(reader, note)
    block = _block(html, "note", note.pk)
    assert "軟體推薦" in block and "這個軟體很好用" in block
    assert "Converted from Simplified Chinese" in block
    assert 'data-testid="note-original"' in block and "这个软件很好用" in block
    assert 'id="translation-note-' not in html


def test_a_converted_text_is_annotated_for_a_learner(client, chinese_note):
    comment = services.comment_create(
        author=UserFactory(), note=chinese_note, body="軟體", language="zh-Hant"
    )
    reader = _signed_in(client, read_languages=["en", "zh-Hans"], learning_languages=["zh-Hans"])
    block = _block(_page(reader, chinese_note), "comment", comment.pk)
    assert 'data-gloss="软件"' in block and "<ruby>软<rt>ruǎn</rt></ruby>" in block
    assert 'data-testid="reading-converted"' in block


def test_text_needs_translation_leaves_the_other_script_to_the_conversion(user):
    hans = bilingual.Reader(user=user, reads=("zh-Hans",), target="zh-Hans")
    english = bilingual.Reader(user=user, reads=("en",), target="en")
    both = bilingual.Reader(user=user, reads=("zh-Hans", "zh-Hant"), target="zh-Hans")
    assert bilingual.text_needs_translation(hans, "zh-Hant", TRADITIONAL) is False
    assert bilingual.text_needs_translation(hans, "mixed", "軟體 app", "zh-Hant") is False
    assert bilingual.text_needs_translation(english, "zh-Hant", TRADITIONAL) is True
    assert bilingual.text_needs_translation(both, "zh-Hant", TRADITIONAL) is False
    assert bilingual.text_needs_translation(hans, "ja", "こんにちは") is True
    assert bilingual.text_needs_translation(hans, "mixed", "?? ok", "") is True


# --- Visitors ----------------------------------------------------------------------------------
def test_visitors_get_the_aids_of_their_interface_language(chinese_note, no_cap):
    traditional = services.comment_create(
        author=UserFactory(), note=chinese_note, body=TRADITIONAL, language="zh-Hant"
    )
    english = services.comment_create(
        author=UserFactory(), note=chinese_note, body="the best, no cap", language="en"
    )
    en_html = _page(Client(HTTP_ACCEPT_LANGUAGE="en"), chinese_note)
    assert BANK in _block(en_html, "note", chinese_note.pk)
    assert f'id="reading-comment-{english.pk}"' not in en_html
    assert 'data-slang-text="For real; not lying."' not in en_html
    # zh-Hant text for an English reader: annotated, as it is (no conversion).
    assert "<ruby>軟<rt>ruǎn</rt></ruby>" in _block(en_html, "comment", traditional.pk)

    zh_html = _page(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), chinese_note)
    assert f'id="reading-note-{chinese_note.pk}"' not in zh_html
    assert SIMPLIFIED in _block(zh_html, "comment", traditional.pk)
    assert 'data-slang-text="说真的，不骗你。"' in _block(zh_html, "comment", english.pk)
    # Another visitor of each language gets the same (the visitors' page cache).
    again = _page(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), chinese_note)
    assert _block(again, "comment", english.pk) == _block(zh_html, "comment", english.pk)
    again = _page(Client(HTTP_ACCEPT_LANGUAGE="en"), chinese_note)
    assert _block(again, "note", chinese_note.pk) == _block(en_html, "note", chinese_note.pk)


# --- Every fragment that shows a comment --------------------------------------------------------
def test_comment_fragments_carry_the_aids(client, chinese_note):
    people = [UserFactory() for _ in range(3)]
    top = services.comment_create(author=people[0], note=chinese_note, body="银行在哪里")
    for n in range(6):
        services.comment_create(
            author=people[n % 3], note=chinese_note, body=f"银行 {n}", parent=top
        )
    reader = _signed_in(client)
    # The note in the Discover overlay.
    overlay = _page(reader, chinese_note, **HTMX)
    assert f'id="reading-note-{chinese_note.pk}"' in overlay
    assert f'id="reading-comment-{top.pk}"' in overlay
    # More replies.
    replies = reader.get(reverse("notes:comment_replies", kwargs={"comment_id": top.pk}), **HTMX)
    assert replies.status_code == 200
    assert replies.content.decode().count('x-data="readingBlock"') >= 1
    assert BANK in replies.content.decode()
    # A comment just posted.
    posted = reader.post(
        reverse("notes:comments", kwargs={"note_id": chinese_note.pk}),
        {"body": "我也去银行"},
        **HTMX,
    )
    assert posted.status_code == 200
    assert BANK in posted.content.decode()
    assert 'x-data="readingBlock"' in posted.content.decode()


def test_more_comments_page_carries_the_aids(client, chinese_note, settings):
    people = [UserFactory() for _ in range(2)]
    for n in range(25):
        services.comment_create(author=people[n % 2], note=chinese_note, body=f"银行 {n}")
    reader = _signed_in(client)
    html = _page(reader, chinese_note)
    cursor = re.search(r"\?cursor=([^\"&]+)", html).group(1)
    page = reader.get(
        reverse("notes:comments", kwargs={"note_id": chinese_note.pk}) + f"?cursor={cursor}",
        **HTMX,
    )
    assert page.status_code == 200
    assert BANK in page.content.decode()


# --- Queries ------------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [2, 12])
def test_page_queries_do_not_grow_with_the_thread(
    client, chinese_note, no_cap, django_assert_max_num_queries, count
):
    people = [UserFactory() for _ in range(3)]
    for n in range(count):
        top = services.comment_create(
            author=people[n % 3], note=chinese_note, body=f"银行 no cap {n}", language="zh-Hans"
        )
        services.comment_create(author=people[1], note=chinese_note, body="軟體", parent=top)
        services.comment_create(
            author=people[2], note=chinese_note, body="so good, no cap", parent=top
        )
    reader = _signed_in(client)
    _page(reader, chinese_note)  # warm caches
    with django_assert_max_num_queries(11):
        html = _page(reader, chinese_note)
    assert html.count('class="rd-slang"') >= count


def test_text_and_glossary_fields_are_escaped_on_the_page(client, chinese_note):
    GlossaryTerm.objects.create(
        term="no cap",
        language="en",
        explanation_en='<script>alert("en")</script>',
        explanation_zh='"><img src=x onerror=alert(1)>',
        example='" onmouseover="alert(2)',
        status=GlossaryStatus.APPROVED,
    )
    glossary_changed()
    comment = services.comment_create(
        author=UserFactory(),
        note=chinese_note,
        body='no cap <script>alert("x")</script> "银行"',
        language="en",
    )
    reader = _signed_in(
        client, languages=["zh-Hans"], read_languages=["zh-Hans"], ui_language="zh-hans"
    )
    block = _block(_page(reader, chinese_note), "comment", comment.pk)
    assert "<script>" not in block and "<img" not in block
    # The words of the text are glossed one by one, between escaped punctuation.
    assert 'data-gloss="script">script</span>&gt;' in block and "(&quot;" in block
    assert "&quot;)&lt;/<span" in block
    assert 'data-slang-text="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in block
    assert 'data-slang-example="&quot; onmouseover=&quot;alert(2)"' in block
    english = _signed_in(Client(), learning_languages=[])
    html = _page(english, chinese_note)
    assert "<script>alert" not in html


def test_a_converted_reply_keeps_whom_it_answers_in_both_scripts(client, chinese_note):
    lin = UserFactory(handle="lin")
    top = services.comment_create(author=lin, note=chinese_note, body="银行几点开门？")
    reply = services.comment_create(
        author=UserFactory(handle="yuting"),
        note=chinese_note,
        body="@lin 網路上有資訊",
        parent=top,
        language="zh-Hant",
    )
    reader = _signed_in(client, languages=["zh-Hans"], read_languages=["zh-Hans"])
    block = _block(_page(reader, chinese_note), "comment", reply.pk)
    shown = re.search(r'data-testid="comment-body".*?</p>', block, re.S).group(0)
    original = re.search(r'data-testid="comment-original".*?</p>', block, re.S).group(0)
    mention = f'<a class="mention" href="{lin.get_absolute_url()}">@lin</a>'
    assert mention in shown and "网络上有信息" in shown
    assert mention in original and "網路上有資訊" in original
