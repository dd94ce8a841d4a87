"""The note page's comments with htmx: the thread on the page (and the overlay), posting,
replying, expanding, liking and deleting without a reload; escaping, mentions, CSRF, the
signed-out view, the visitor page cache and query budgets."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from notes import services
from notes.models import Comment, Note
from tests.factories import MuteFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def note(other_user):
    return NoteFactory(author=other_user, title="Dali old town")


@pytest.fixture
def reader(client, user):
    client.force_login(user)
    return client


def _page(client, note):
    return client.get(reverse("notes:detail", kwargs={"note_id": note.pk})).content.decode()


def _comments_url(note):
    return reverse("notes:comments", kwargs={"note_id": note.pk})


def test_note_page_shows_the_thread_with_counter_and_form(reader, note, other_user):
    top = services.comment_create(author=other_user, note=note, body="Welcome!")
    services.comment_create(author=other_user, note=note, body="first reply", parent=top)
    html = _page(reader, note)
    assert 'data-testid="comment-form"' in html
    assert "Welcome!" in html and "first reply" in html
    assert re.search(r'data-testid="comment-count"[^>]*>2<', html)
    assert "2 comments" in html


def test_signed_out_readers_see_comments_and_a_login_link(client, note, other_user):
    services.comment_create(author=other_user, note=note, body="Visible to all")
    html = _page(client, note)
    assert "Visible to all" in html
    assert 'data-testid="comment-login"' in html
    assert 'data-testid="comment-form"' not in html


def test_overlay_fragment_has_the_thread(reader, note, other_user):
    services.comment_create(author=other_user, note=note, body="in the overlay")
    response = reader.get(reverse("notes:detail", kwargs={"note_id": note.pk}), **HTMX)
    html = response.content.decode()
    assert "note-overlay-page" in html and "in the overlay" in html


def test_comment_html_is_escaped_and_mentions_linked(reader, note, other_user, user):
    services.comment_create(
        author=other_user, note=note, body="<script>alert(1)</script> hi @alice #travel"
    )
    html = _page(reader, note)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'<a class="mention" href="{user.get_absolute_url()}">@alice</a>' in html
    assert 'class="hashtag"' in html


def test_post_a_comment_with_htmx(reader, note, user):
    response = reader.post(_comments_url(note), {"body": "So <b>lovely</b>"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    comment = Comment.objects.get()
    assert comment.author == user and comment.body == "So <b>lovely</b>"
    assert 'data-testid="comment-form"' in html  # the form again, empty
    assert f'hx-swap-oob="afterbegin:#comment-list-{note.pk}"' in html
    assert "So &lt;b&gt;lovely&lt;/b&gt;" in html
    assert re.search(rf'id="comment-count-{note.pk}"[^>]*hx-swap-oob="true">1<', html)
    assert "1 comment" in html


def test_reply_to_a_reply_with_htmx_shows_reply_at_name(reader, note, other_user):
    carol = UserFactory(handle="carol", display_name="Carol")
    top = services.comment_create(author=other_user, note=note, body="top")
    reply = services.comment_create(author=carol, note=note, body="r", parent=top)
    form = reader.get(reverse("notes:comment_reply_form", kwargs={"comment_id": reply.pk}), **HTMX)
    assert "Reply @carol" in form.content.decode()
    response = reader.post(_comments_url(note), {"body": "agreed", "parent_id": reply.pk}, **HTMX)
    html = response.content.decode()
    assert f'hx-swap-oob="beforeend:#replies-{top.pk}"' in html
    assert 'data-testid="reply-form"' not in html  # the reply form goes away
    assert re.search(r'class="comment-reply-to">Reply <a class="mention"[^>]*>@carol</a>', html)
    assert Comment.objects.get(body="agreed").parent == top


def test_refused_comment_shows_errors_in_the_form_and_stores_nothing(reader, note):
    response = reader.post(_comments_url(note), {"body": "   "}, **HTMX)
    assert response.status_code == 200
    assert 'data-testid="comment-errors"' in response.content.decode()
    assert "Write something first." in response.content.decode()
    assert not Comment.objects.exists()


def test_without_htmx_posting_redirects_back(reader, note):
    response = reader.post(_comments_url(note), {"body": "plain form"})
    assert response.status_code == 302
    assert response["Location"].startswith(note.get_absolute_url())


def test_signed_out_post_goes_to_login(client, note):
    response = client.post(_comments_url(note), {"body": "x"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Comment.objects.exists()


def test_posting_requires_csrf(user, note):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(_comments_url(note), {"body": "x"}, **HTMX)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_expand_replies(reader, note, other_user):
    top = services.comment_create(author=other_user, note=note, body="top")
    for n in range(5):
        services.comment_create(author=other_user, note=note, body=f"reply {n}", parent=top)
    html = _page(reader, note)
    assert "reply 1" in html and "reply 2" not in html
    assert "Expand 3 replies" in html
    url = re.search(r'hx-get="(/comments/\d+/replies/\?cursor=[^"]+)"', html).group(1)
    more = reader.get(url.replace("&amp;", "&"), **HTMX).content.decode()
    assert all(f"reply {n}" in more for n in (2, 3, 4))
    assert "reply 1" not in more


def test_more_comments_page(reader, note, other_user):
    for n in range(25):
        services.comment_create(author=other_user, note=note, body=f"comment {n:02}")
    html = _page(reader, note)
    assert "comment 24" in html and "comment 04" not in html
    url = re.search(r'hx-get="(/notes/\d+/comments/\?cursor=[^"]+)"', html).group(1)
    more = reader.get(url, **HTMX).content.decode()
    assert "comment 04" in more and "comment 24" not in more


def test_like_and_unlike_a_comment(reader, note, other_user):
    comment = services.comment_create(author=other_user, note=note, body="x")
    url = reverse("notes:comment_like", kwargs={"comment_id": comment.pk})
    html = reader.post(url, **HTMX).content.decode()
    assert 'aria-pressed="true"' in html
    comment.refresh_from_db()
    assert comment.like_count == 1
    url = reverse("notes:comment_unlike", kwargs={"comment_id": comment.pk})
    assert 'aria-pressed="false"' in reader.post(url, **HTMX).content.decode()


def test_delete_a_comment_updates_the_counters(reader, note, user):
    comment = services.comment_create(author=user, note=note, body="mine")
    html = _page(reader, note)
    assert 'data-testid="comment-delete"' in html
    url = reverse("notes:comment_delete", kwargs={"comment_id": comment.pk})
    response = reader.post(url, **HTMX)
    assert response.status_code == 200
    assert re.search(
        rf'id="comment-count-{note.pk}"[^>]*hx-swap-oob="true">0<', response.content.decode()
    )
    assert not Comment.objects.exists()


def test_no_delete_button_nor_right_on_others_comments(reader, note):
    carol = UserFactory(handle="carol")
    comment = services.comment_create(author=carol, note=note, body="carol's")
    assert 'data-testid="comment-delete"' not in _page(reader, note)
    url = reverse("notes:comment_delete", kwargs={"comment_id": comment.pk})
    assert reader.post(url, **HTMX).status_code == 403
    assert Comment.objects.exists()


def test_muted_people_are_folded(reader, note, user):
    carol = UserFactory(handle="carol")
    services.comment_create(author=carol, note=note, body="muted words")
    MuteFactory(muter=user, muted=carol)
    html = _page(reader, note)
    assert "A comment by someone you muted" in html and "muted words" in html


def test_visitor_page_cache_shows_a_new_comment_at_once(
    client, note, other_user, settings, django_capture_on_commit_callbacks
):
    settings.VISITOR_PAGE_CACHE_SECONDS = 300
    assert "fresh words" not in _page(client, note)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(author=other_user, note=note, body="fresh words")
    assert "fresh words" in _page(client, note)
    comment = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_hide(target=comment)
    assert "fresh words" not in _page(client, note)


@pytest.mark.parametrize("count", [2, 12])
def test_note_page_queries_do_not_grow_with_the_thread(
    reader, note, django_assert_max_num_queries, count
):
    people = [UserFactory() for _ in range(3)]
    for n in range(count):
        top = services.comment_create(
            author=people[n % 3], note=note, body=f"c{n} @{people[0].handle}"
        )
        for m in range(3):
            services.comment_create(author=people[m], note=note, body="r", parent=top)
    reader.get(reverse("notes:detail", kwargs={"note_id": note.pk}))  # warm caches
    with django_assert_max_num_queries(14):
        reader.get(reverse("notes:detail", kwargs={"note_id": note.pk}))
    assert Note.objects.get(pk=note.pk).comment_count == count * 4


# --- Rate limit and admin -------------------------------------------------------------------


def test_posting_on_the_page_shares_the_api_comment_rate(reader, note, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**SimpleRateThrottle.THROTTLE_RATES, "comments": "2/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    for n in range(2):
        reader.post(_comments_url(note), {"body": f"c{n}"}, **HTMX)
    response = reader.post(_comments_url(note), {"body": "one too many"}, **HTMX)
    # A toast (htmx swaps no 429): what was typed stays in the form.
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "rednote:message" in response["HX-Trigger"]
    assert "Too many comments in a short time" in response.content.decode()
    assert Comment.objects.count() == 2


@pytest.fixture
def admin_client(client, db):
    from accounts.models import User

    staff = User.objects.create_superuser("root_admin", "root@example.com", "admin-pass-123")
    client.force_login(staff)
    return client


def test_admin_lists_comments_escaped_and_hides_them_through_the_services(
    admin_client, note, other_user, captured_events, django_capture_on_commit_callbacks
):
    comment = services.comment_create(author=other_user, note=note, body="<i>spam</i>")
    changelist = reverse("admin:notes_comment_changelist")
    html = admin_client.get(changelist).content.decode()
    assert "&lt;i&gt;spam&lt;/i&gt;" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            changelist, {"action": "hide_comments", "_selected_action": [comment.pk]}, follow=True
        )
    assert "1 comment hidden." in response.content.decode()
    comment.refresh_from_db()
    assert comment.is_hidden
    assert Note.objects.get(pk=note.pk).comment_count == 0
    assert [e["comment_id"] for e in captured_events.of("comment_deleted")] == [comment.pk]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            changelist, {"action": "unhide_comments", "_selected_action": [comment.pk]}
        )
    assert Note.objects.get(pk=note.pk).comment_count == 1
