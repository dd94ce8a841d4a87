"""The bilingual view on the note page (and its htmx fragments): translation blocks under the
note and every comment the reader does not read, shown at once when ready (community, cached)
or with auto-translate, else a Translate button; "Translate thread" in one provider call;
labels; escaping; no provider; the visitor page cache; query budgets; the community
translation panel (suggest, upvote, accept) and feedback."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notes import services
from notes.models import Visibility
from tests.factories import NoteFactory, UserFactory
from tests.translations.servers import (
    FakeProviderServer,
    Reply,
    configure,
    fake_translation,
    libretranslate_answer,
)
from translations import services as translation_services
from translations.models import CommunityTranslation, TranslationFeedback

pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HTTP_HX_REQUEST": "true"}
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
def provider(settings):
    with FakeProviderServer(libretranslate_answer) as server:
        configure(settings, "libretranslate", server)
        yield server


@pytest.fixture
def author():
    return UserFactory(handle="mei", languages=["zh-Hans"], read_languages=["zh-Hans"])


@pytest.fixture
def note(author):
    return NoteFactory(author=author, title=ZH_TITLE, body=ZH_BODY, language="zh-Hans")


@pytest.fixture
def reader_user():
    return UserFactory(handle="mae", languages=["en"], read_languages=["en"])


@pytest.fixture
def reader(reader_user):
    client = Client()
    client.force_login(reader_user)
    return client


def _page(client, note) -> str:
    response = client.get(reverse("notes:detail", kwargs={"note_id": note.pk}))
    assert response.status_code == 200
    return response.content.decode()


def _block(html: str, kind: str, object_id: int) -> str:
    match = re.search(
        rf'<div class="translation[^"]*" id="translation-{kind}-{object_id}".*?</div>\s*</div>|'
        rf'<div class="translation[^"]*" id="translation-{kind}-{object_id}".*?</div>',
        html,
        re.S,
    )
    assert match, f"no translation block for {kind} {object_id}"
    return match.group(0)


def _accepted(content, author, language, text, *, translator=None, part=""):
    translator = translator or UserFactory(handle="lin")
    source = getattr(content, part) if part else content.body
    suggestion = translation_services.community_translation_suggest(
        user=translator,
        content=content,
        source_text=source,
        language=language,
        text=text,
        part=part,
    )
    translation_services.community_translation_accept(
        user=author, suggestion=suggestion, content_author_id=author.pk
    )
    return suggestion


def test_no_provider_says_not_set_up_and_shows_community_translations(reader, note, author):
    comment = services.comment_create(
        author=author, note=note, body="欢迎来大理", language="zh-Hans"
    )
    untranslated = services.comment_create(
        author=author, note=note, body="谢谢", language="zh-Hans"
    )
    _accepted(comment, author, "en", "Welcome to Dali")
    html = _page(reader, note)
    block = _block(html, "comment", comment.pk)
    assert "Welcome to Dali" in block and 'lang="en"' in block
    assert "Community translation by @lin" in block
    assert "Show original" in block
    other = _block(html, "comment", untranslated.pk)
    assert "Machine translation is not set up on this site." in other
    assert 'data-testid="translate"' not in other
    assert "not set up" in _block(html, "note", note.pk)


def test_own_languages_get_no_block(reader, note, reader_user):
    services.comment_create(author=reader_user, note=note, body="so pretty", language="en")
    html = _page(reader, note)
    assert "translation-comment-" not in html


def test_cached_machine_translation_is_shown_at_once_else_a_button(reader, note, author, provider):
    first = services.comment_create(author=author, note=note, body="第一条", language="zh-Hans")
    second = services.comment_create(author=author, note=note, body="第二条", language="zh-Hans")
    translation_services.translation_get(text="第一条", source="zh-Hans", target="en")
    calls = len(provider.calls)
    html = _page(reader, note)
    assert len(provider.calls) == calls  # a page never calls the provider
    ready = _block(html, "comment", first.pk)
    assert fake_translation("第一条", "en") in ready
    assert "Machine translation · LibreTranslate" in ready
    button = _block(html, "comment", second.pk)
    assert 'data-testid="translate"' in button
    url = reverse("notes:comment_translation", kwargs={"comment_id": second.pk})
    assert url in button
    fragment = reader.get(url + "?lang=en", **HTMX)
    assert fragment.status_code == 200
    assert fake_translation("第二条", "en") in fragment.content.decode()


def test_note_title_and_body_translated_on_request(reader, note, provider):
    response = reader.get(reverse("notes:note_translation", kwargs={"note_id": note.pk}), **HTMX)
    html = response.content.decode()
    assert fake_translation(ZH_TITLE, "en") in html and fake_translation(ZH_BODY, "en") in html
    assert len(provider.calls) == 1


def test_html_in_a_provider_answer_is_escaped(reader, note, author, settings):
    comment = services.comment_create(author=author, note=note, body="好看", language="zh-Hans")

    def answer(call):
        return Reply(body={"translatedText": ["<img src=x onerror=alert(1)>"]})

    with FakeProviderServer(answer) as server:
        configure(settings, "libretranslate", server)
        url = reverse("notes:comment_translation", kwargs={"comment_id": comment.pk})
        html = reader.get(url, **HTMX).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_unavailable_provider_says_so(reader, note, author, settings):
    comment = services.comment_create(author=author, note=note, body="好看", language="zh-Hans")
    with FakeProviderServer(lambda call: Reply(status=500, body={})) as server:
        configure(settings, "libretranslate", server)
        url = reverse("notes:comment_translation", kwargs={"comment_id": comment.pk})
        html = reader.get(url, **HTMX).content.decode()
    assert "Translation unavailable" in html


def test_auto_translate_asks_at_once_the_thread_in_one_batch(
    reader, reader_user, note, author, provider
):
    reader_user.auto_translate = True
    reader_user.save(update_fields=["auto_translate"])
    comment = services.comment_create(author=author, note=note, body="第一条", language="zh-Hans")
    replies = [
        services.comment_create(
            author=author, note=note, body=f"回复{n}", parent=comment, language="zh-Hans"
        )
        for n in range(3)
    ]
    html = _page(reader, note)
    # The note asks for itself; the thread's comments are asked for by "Translate thread" on
    # load, in one request.
    assert 'hx-trigger="load"' in _block(html, "note", note.pk)
    block = _block(html, "comment", comment.pk)
    assert 'data-state="load"' in block and "hx-trigger" not in block
    assert 'hx-trigger="submit, load"' in html
    assert provider.calls == []  # the page itself asks nothing
    # Replies expanded later ask for themselves.
    url = reverse("notes:comment_replies", kwargs={"comment_id": comment.pk})
    expanded = reader.get(url + "?cursor=", **HTMX).content.decode()
    if replies[-1].body in expanded:
        assert 'hx-trigger="load"' in _block(expanded, "comment", replies[-1].pk)


def test_without_auto_translate_nothing_is_asked_on_load(reader, note, author, provider):
    services.comment_create(author=author, note=note, body="第一条", language="zh-Hans")
    html = _page(reader, note)
    assert 'hx-trigger="submit, load"' not in html and 'data-state="button"' in html


def test_translate_thread_is_one_provider_call(reader, note, author, provider):
    people = [UserFactory(languages=["zh-Hans"]) for _ in range(3)]
    comments = []
    for n, person in enumerate(people):
        top = services.comment_create(author=person, note=note, body=f"评论{n}", language="zh-Hans")
        comments.append(top)
        comments.append(
            services.comment_create(
                author=author, note=note, body=f"回复{n}", parent=top, language="zh-Hans"
            )
        )
    html = _page(reader, note)
    assert 'data-testid="translate-thread"' in html
    url = reverse("notes:thread_translation", kwargs={"note_id": note.pk})
    response = reader.post(url, {"ids": [c.pk for c in comments], "lang": "en"}, **HTMX)
    assert response.status_code == 200
    out = response.content.decode()
    for comment in comments:
        assert f'hx-swap-oob="outerHTML:#translation-comment-{comment.pk}"' in out
        assert fake_translation(comment.body, "en") in out
    assert len(provider.calls) == 1


@pytest.mark.parametrize("count", [2, 10])
def test_page_queries_do_not_grow_with_translated_comments(
    reader, note, author, provider, django_assert_max_num_queries, count
):
    people = [UserFactory(languages=["zh-Hans"]) for _ in range(3)]
    for n in range(count):
        comment = services.comment_create(
            author=people[n % 3], note=note, body=f"第{n}条评论", language="zh-Hans"
        )
        if n % 2:
            _accepted(comment, people[n % 3], "en", f"comment {n}", translator=people[0])
        else:
            translation_services.translation_get(text=comment.body, source="zh-Hans", target="en")
    _page(reader, note)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        html = _page(reader, note)
    assert html.count('data-state="ready"') == count
    with django_assert_max_num_queries(16):
        _page(reader, note)
    # the translations cost two queries in all, whatever the number of comments
    lookups = [
        q for q in queries.captured_queries if "translations_" in q["sql"] and "SELECT" in q["sql"]
    ]
    assert len(lookups) == 2


def test_visitor_page_is_the_same_for_every_visitor_of_a_language(note, author, settings):
    settings.VISITOR_PAGE_CACHE_SECONDS = 60
    comment = services.comment_create(author=author, note=note, body="欢迎", language="zh-Hans")
    first = _page(Client(), note)
    assert 'data-testid="translate"' not in first  # no provider: not set up
    assert "Machine translation is not set up on this site." in first
    suggestion = translation_services.community_translation_suggest(
        user=UserFactory(), content=comment, source_text="欢迎", language="en", text="Welcome"
    )
    owner = Client()
    owner.force_login(author)
    accept_url = reverse("notes:translation_accept", kwargs={"suggestion_id": suggestion.pk})
    owner.post(accept_url, {"lang": "en"}, **HTMX)
    # accepting bumps the note's scope: the next visitor sees it
    second = _page(Client(HTTP_ACCEPT_LANGUAGE="en"), note)
    assert "Welcome" in _block(second, "comment", comment.pk)


def test_a_chinese_visitor_gets_english_comments_translated(note, author):
    english = UserFactory(languages=["en"])
    comment = services.comment_create(author=english, note=note, body="so pretty", language="en")
    _accepted(comment, english, "zh-Hans", "太美了", translator=UserFactory(handle="yu"))
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-Hans")
    html = _page(client, note)
    block = _block(html, "comment", comment.pk)
    assert "太美了" in block and 'lang="zh-Hans"' in block
    assert "translation-note-" not in html  # the note is in Chinese


def test_followers_only_note_is_not_sent_to_a_third_party(author, provider):
    note = NoteFactory(
        author=author,
        title=ZH_TITLE,
        body=ZH_BODY,
        language="zh-Hans",
        visibility=Visibility.FOLLOWERS,
    )
    client = Client()
    client.force_login(author)
    html = client.get(
        reverse("notes:note_translation", kwargs={"note_id": note.pk}) + "?lang=en", **HTMX
    ).content.decode()
    assert "not public" in html
    assert provider.calls == []


def test_suggest_vote_and_accept_a_community_translation(reader, reader_user, note, author):
    comment = services.comment_create(
        author=author, note=note, body="欢迎来大理", language="zh-Hans"
    )
    url = reverse("notes:translation_suggest", kwargs={"kind": "comment", "object_id": comment.pk})
    panel = reader.get(url + "?lang=en", **HTMX).content.decode()
    assert 'data-testid="translation-suggest-body"' in panel
    empty = reader.post(url, {"lang": "en", "text_body": " "}, **HTMX).content.decode()
    assert 'data-testid="translation-errors"' in empty
    response = reader.post(url, {"lang": "en", "text_body": "Welcome to <Dali>"}, **HTMX)
    assert "Welcome to &lt;Dali&gt;" in response.content.decode()
    suggestion = CommunityTranslation.objects.get()
    assert (suggestion.author, suggestion.language, suggestion.part) == (reader_user, "en", "")
    # Someone else upvotes; the author accepts.
    voter = Client()
    voter.force_login(UserFactory())
    vote_url = reverse("notes:translation_vote", kwargs={"suggestion_id": suggestion.pk})
    voter.post(vote_url, {"lang": "en"}, **HTMX)
    suggestion.refresh_from_db()
    assert suggestion.upvote_count == 1
    accept_url = reverse("notes:translation_accept", kwargs={"suggestion_id": suggestion.pk})
    refused = reader.post(accept_url, {"lang": "en"}, **HTMX).content.decode()
    assert "Only the author" in refused
    owner = Client()
    owner.force_login(author)
    owner.post(accept_url, {"lang": "en"}, **HTMX)
    suggestion.refresh_from_db()
    assert suggestion.is_accepted
    block = _block(_page(reader, note), "comment", comment.pk)
    assert "Welcome to &lt;Dali&gt;" in block and "Community translation by @mae" in block


def test_suggest_for_a_note_it_may_not_see_is_404(reader, author):
    private = NoteFactory(author=author, visibility=Visibility.PRIVATE, language="zh-Hans")
    url = reverse("notes:translation_suggest", kwargs={"kind": "note", "object_id": private.pk})
    assert reader.get(url).status_code == 404
    assert reader.post(url, {"text_title": "x"}).status_code == 404


def test_feedback_is_recorded(reader, reader_user, note, author):
    comment = services.comment_create(author=author, note=note, body="欢迎来大理", language="en")
    url = reverse("notes:translation_feedback", kwargs={"kind": "comment", "object_id": comment.pk})
    response = reader.post(url, {"feedback": "wrong_language", "lang": "en"}, **HTMX)
    assert 'data-testid="translation-feedback-done"' in response.content.decode()
    feedback = TranslationFeedback.objects.get()
    assert feedback.reporter == reader_user and feedback.kind == "wrong_language"
    comment.refresh_from_db()
    assert comment.language == "zh-Hans"  # detected again


def test_bad_translation_of_a_community_translation_is_recorded_as_such(reader, note, author):
    comment = services.comment_create(
        author=author, note=note, body="欢迎来大理", language="zh-Hans"
    )
    suggestion = _accepted(comment, author, "en", "Welcome to Dali")
    url = reverse("notes:translation_feedback", kwargs={"kind": "comment", "object_id": comment.pk})
    reader.post(url, {"feedback": "bad_translation", "lang": "en"}, **HTMX)
    feedback = TranslationFeedback.objects.get()
    assert feedback.community_translation_id == suggestion.pk
    assert feedback.translation_text == "Welcome to Dali"


def test_the_discover_overlay_shows_the_translations(reader, note, author):
    comment = services.comment_create(
        author=author, note=note, body="欢迎来大理", language="zh-Hans"
    )
    _accepted(comment, author, "en", "Welcome to Dali")
    response = reader.get(reverse("notes:detail", kwargs={"note_id": note.pk}), **HTMX)
    html = response.content.decode()
    assert "note-overlay-page" in html
    assert "Welcome to Dali" in _block(html, "comment", comment.pk)


def test_translate_thread_leaves_out_comments_the_reader_reads(
    reader, reader_user, note, author, provider
):
    chinese = services.comment_create(author=author, note=note, body="第一条", language="zh-Hans")
    english = services.comment_create(author=reader_user, note=note, body="hello", language="en")
    url = reverse("notes:thread_translation", kwargs={"note_id": note.pk})
    out = reader.post(url, {"lang": "en"}, **HTMX).content.decode()  # no ids: the first page
    assert f"#translation-comment-{chinese.pk}" in out
    assert f"#translation-comment-{english.pk}" not in out


# --- The cached visitor page follows community translations however they change -------------
def _visitor_page(note) -> str:
    return _page(Client(HTTP_ACCEPT_LANGUAGE="en"), note)


def test_a_translation_accepted_through_the_service_shows_on_the_cached_page_at_once(
    note, author, settings
):
    settings.VISITOR_PAGE_CACHE_SECONDS = 60
    comment = services.comment_create(author=author, note=note, body="欢迎", language="zh-Hans")
    assert "Welcome" not in _visitor_page(note)  # stored in the visitor cache
    suggestion = translation_services.community_translation_suggest(
        user=UserFactory(), content=comment, source_text="欢迎", language="en", text="Welcome"
    )
    assert "Welcome" not in _visitor_page(note)  # a suggestion alone is not shown
    translation_services.community_translation_accept(
        user=author, suggestion=suggestion, content_author_id=author.pk
    )
    assert "Welcome" in _block(_visitor_page(note), "comment", comment.pk)
    # votes reaching the threshold, through the service too (the note's own body)
    voted = translation_services.community_translation_suggest(
        user=UserFactory(),
        content=note,
        source_text=ZH_BODY,
        language="en",
        text="Beef noodles",
        part="body",
    )
    assert "Beef noodles" not in _visitor_page(note)  # the cached page, with no translation
    for _ in range(2):
        translation_services.community_translation_vote(user=UserFactory(), suggestion=voted)
    assert "Beef noodles" in _visitor_page(note)


def test_admin_hiding_or_editing_a_translation_refreshes_the_cached_page(
    note, author, settings, admin_client
):
    settings.VISITOR_PAGE_CACHE_SECONDS = 60
    suggestion = _accepted(note, author, "en", "Beef noodles", part="body")
    assert "Beef noodles" in _visitor_page(note)
    admin_client.post(
        "/admin/translations/communitytranslation/",
        {"action": "hide", "_selected_action": [suggestion.pk]},
    )
    assert "Beef noodles" not in _visitor_page(note)
    admin_client.post(
        "/admin/translations/communitytranslation/",
        {"action": "show", "_selected_action": [suggestion.pk]},
    )
    assert "Beef noodles" in _visitor_page(note)
    change_url = f"/admin/translations/communitytranslation/{suggestion.pk}/change/"
    form = {
        "content_type": suggestion.content_type_id,
        "object_id": suggestion.object_id,
        "part": "body",
        "language": "en",
        "author": suggestion.author_id,
        "text": "Beef noodle soup",
        "is_accepted": "on",
    }
    response = admin_client.post(change_url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Beef noodle soup" in _visitor_page(note)
    delete_url = f"/admin/translations/communitytranslation/{suggestion.pk}/delete/"
    admin_client.post(delete_url, {"post": "yes"})
    assert "Beef noodle" not in _visitor_page(note)


# --- Without JavaScript: the forms go back to the note's page with a message ---------------
def _messages_on(client, note) -> str:
    return _page(client, note)


def test_without_javascript_the_forms_redirect_to_the_note_page_with_a_message(
    reader, reader_user, note, author
):
    comment = services.comment_create(author=author, note=note, body="欢迎", language="zh-Hans")
    note_url = note.get_absolute_url()
    url = reverse("notes:translation_suggest", kwargs={"kind": "comment", "object_id": comment.pk})
    # a user-supplied address is never followed
    empty = reader.post(url + "?next=https://evil.example/", {"lang": "en", "text_body": " "})
    assert empty.status_code == 302 and empty["Location"] == note_url
    assert "Write the translation." in _messages_on(reader, note)
    done = reader.post(url, {"lang": "en", "text_body": "Welcome", "next": "//evil.example/"})
    assert done.status_code == 302 and done["Location"] == note_url
    assert "Thank you: your translation is saved." in _messages_on(reader, note)
    suggestion = CommunityTranslation.objects.get()
    vote_url = reverse("notes:translation_vote", kwargs={"suggestion_id": suggestion.pk})
    own = reader.post(vote_url, {"lang": "en"})
    assert own["Location"] == note_url
    assert "You cannot vote for your own translation." in _messages_on(reader, note)
    voter = Client()
    voter.force_login(UserFactory())
    assert voter.post(vote_url, {"lang": "en"})["Location"] == note_url
    assert "Your vote is counted." in _messages_on(voter, note)
    assert voter.post(vote_url, {"lang": "en"})["Location"] == note_url
    assert "Your vote is taken back." in _messages_on(voter, note)
    accept_url = reverse("notes:translation_accept", kwargs={"suggestion_id": suggestion.pk})
    assert reader.post(accept_url, {"lang": "en"})["Location"] == note_url
    assert "Only the author can accept a translation." in _messages_on(reader, note)
    owner = Client()
    owner.force_login(author)
    assert owner.post(accept_url, {"lang": "en"})["Location"] == note_url
    assert "Translation accepted." in _messages_on(owner, note)
    suggestion.refresh_from_db()
    assert suggestion.is_accepted
    feedback_url = reverse(
        "notes:translation_feedback", kwargs={"kind": "comment", "object_id": comment.pk}
    )
    sent = reader.post(feedback_url, {"lang": "en", "feedback": "bad_translation"})
    assert sent["Location"] == note_url
    assert "Thank you: moderators will have a look." in _messages_on(reader, note)
    thread_url = reverse("notes:thread_translation", kwargs={"note_id": note.pk})
    assert reader.post(thread_url, {"lang": "en", "ids": [comment.pk]})["Location"] == note_url


def test_htmx_keeps_the_fragment_and_csrf_is_enforced_both_ways(reader_user, note, author):
    comment = services.comment_create(author=author, note=note, body="欢迎", language="zh-Hans")
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader_user)
    url = reverse("notes:translation_suggest", kwargs={"kind": "comment", "object_id": comment.pk})
    form = {"lang": "en", "text_body": "Welcome"}
    assert client.post(url, form).status_code == 403
    assert client.post(url, form, **HTMX).status_code == 403
    assert not CommunityTranslation.objects.exists()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _page(client, note)).group(1)
    plain = client.post(url, {**form, "csrfmiddlewaretoken": token})
    assert plain.status_code == 302 and plain["Location"] == note.get_absolute_url()
    fragment = client.post(url, {**form, "text_body": "Welcome!"}, HTTP_X_CSRFTOKEN=token, **HTMX)
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html and "Welcome!" in html


def test_wrong_language_feedback_on_a_note_shows_in_its_cached_json(reader, author):
    note = NoteFactory(author=author, title="大理的早晨", body="洱海边的日出太美了", language="en")
    api = f"/api/v1/notes/{note.pk}/"
    assert reader.get(api, HTTP_ACCEPT="application/json").json()["language"] == "en"  # cached
    url = reverse("notes:translation_feedback", kwargs={"kind": "note", "object_id": note.pk})
    reader.post(url, {"feedback": "wrong_language", "lang": "en"}, **HTMX)
    assert reader.get(api, HTTP_ACCEPT="application/json").json()["language"] == "zh-Hans"
