"""The inbox page: tabs, rows, the navigation badge, marking read by POST, escaping, and a
query count that does not grow with the page."""

import re

import pytest
from django.db import reset_queries
from django.test import Client
from django.urls import reverse

from accounts import services as accounts_services
from notes import services as notes_services
from notifications import selectors
from notifications.models import Notification
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

INBOX = "/notifications/"


@pytest.fixture
def mei(db):
    return UserFactory(handle="mei", display_name="Mei")


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_inbox_needs_signing_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("notifications:read")).status_code == 302


def test_likes_tab_groups_thirteen_likes_as_mei_and_12_others(run_events, mei):
    author = UserFactory(handle="author")
    note = NoteFactory(author=author, title="Dumplings")
    fans = [UserFactory(display_name=f"Fan {i}") for i in range(12)]
    for fan in [*fans, mei]:
        run_events(notes_services.note_like, user=fan, note=note)

    html = signed_in(author).get(INBOX).content.decode()
    assert html.count('data-testid="notification"') == 1
    assert ">Mei</a>" in html and "and 12 others liked your note" in html
    assert note.cover.grid_url in html
    assert 'data-testid="unread-badge"' in html and 'aria-hidden="true">1</span>' in html


def test_tabs_show_their_own_entries_and_unread_counts(run_events, mei):
    ann = UserFactory(display_name="Ann")
    note = NoteFactory(author=mei)
    run_events(notes_services.note_like, user=ann, note=note)
    run_events(accounts_services.follow_create, follower=ann, followee=mei)
    client = signed_in(mei)

    likes = client.get(INBOX).content.decode()
    follows = client.get(INBOX, {"tab": "follows"}).content.decode()
    comments = client.get(INBOX, {"tab": "comments"}).content.decode()
    assert 'data-kind="like"' in likes and 'data-kind="follow"' not in likes
    assert 'data-kind="follow"' in follows and "started following you" in follows
    assert 'data-testid="notifications-empty"' in comments
    assert likes.count('data-testid="tab-unread"') == 2
    # A GET marks nothing read.
    assert selectors.unread_counts(recipient=mei).total == 2


def test_mark_read_by_post_with_csrf(run_events, mei):
    ann = UserFactory()
    run_events(accounts_services.follow_create, follower=ann, followee=mei)
    run_events(notes_services.note_like, user=ann, note=NoteFactory(author=mei))
    client = Client(enforce_csrf_checks=True)
    client.force_login(mei)
    assert client.post(reverse("notifications:read"), {"tab": "follows"}).status_code == 403

    page = client.get(INBOX, {"tab": "follows"})
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("notifications:read"), {"tab": "follows", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and response["Location"].endswith("?tab=follows")
    counts = selectors.unread_counts(recipient=mei)
    assert (counts.follows, counts.likes) == (0, 1)


def test_mark_read_with_htmx_swaps_the_badges(run_events, mei):
    run_events(accounts_services.follow_create, follower=UserFactory(), followee=mei)
    client = signed_in(mei)
    html = client.get(INBOX, {"tab": "follows"}).content.decode()
    assert 'hx-vals=\'{"tab": "follows"}\'' in html  # marks the tab read once shown

    response = client.post(
        reverse("notifications:read"), {"tab": "follows"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="unread-badge-nav" data-testid="unread-badge" hx-swap-oob="true" hidden' in html
    assert 'id="inbox-tabs"' in html and 'data-testid="tab-unread"' not in html
    assert Notification.objects.filter(recipient=mei, read_at__isnull=True).count() == 0


def test_names_and_titles_are_escaped(run_events, mei):
    rogue = UserFactory(display_name='<img src=x onerror="alert(1)">')
    note = NoteFactory(author=mei, title="<script>alert(2)</script>", images=0)
    run_events(notes_services.note_like, user=rogue, note=note)

    html = signed_in(mei).get(INBOX).content.decode()
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_badge_shows_on_every_page_for_its_reader_only(run_events, mei):
    ann = UserFactory()
    run_events(accounts_services.follow_create, follower=ann, followee=mei)
    assert 'aria-hidden="true">1</span>' in signed_in(mei).get("/").content.decode()
    other = signed_in(ann).get("/").content.decode()
    assert 'id="unread-badge-nav" data-testid="unread-badge" hidden' in other


def test_bad_cursor_is_a_400(mei):
    assert signed_in(mei).get(INBOX, {"cursor": "nope"}).status_code == 400


def _fill(run_events, mei, count):
    for _i in range(count):
        note = NoteFactory(author=mei, images=2)
        fan = UserFactory()
        run_events(notes_services.note_like, user=fan, note=note)
        run_events(accounts_services.follow_create, follower=fan, followee=mei)


@pytest.mark.parametrize("tab", ["likes", "follows"])
def test_inbox_queries_do_not_grow_with_the_page(
    run_events, mei, tab, django_assert_max_num_queries
):
    client = signed_in(mei)
    _fill(run_events, mei, 2)
    client.get(INBOX, {"tab": tab})  # warms the unread counts
    reset_queries()  # the log is capped: full of the fill's queries it would capture nothing
    with django_assert_max_num_queries(12) as small:
        client.get(INBOX, {"tab": tab})
    budget = len(small)  # now: the log it reads is emptied by the next request
    _fill(run_events, mei, 18)
    client.get(INBOX, {"tab": tab})
    reset_queries()
    with django_assert_max_num_queries(budget):
        response = client.get(INBOX, {"tab": tab})
    assert response.content.decode().count('data-testid="notification"') == 20


def test_load_more_pages_with_htmx(run_events, mei):
    _fill(run_events, mei, 21)
    client = signed_in(mei)
    first = client.get(INBOX).content.decode()
    assert first.count('data-testid="notification"') == 20
    next_url = re.search(r'hx-get="([^"]+)"', first).group(1).replace("&amp;", "&")
    more = client.get(next_url, HTTP_HX_REQUEST="true").content.decode()
    assert more.count('data-testid="notification"') == 1
    assert "<html" not in more


def test_one_or_two_people_read_naturally(run_events, mei):
    note = NoteFactory(author=mei)
    ann, bo = UserFactory(display_name="Ann"), UserFactory(display_name="Bo")
    run_events(notes_services.note_collect, user=ann, note=note)
    html = signed_in(mei).get(INBOX).content.decode()
    assert ">Ann</a>\n      collected your note" in html
    run_events(notes_services.note_collect, user=bo, note=note)
    html = signed_in(mei).get(INBOX).content.decode()
    assert ">Bo</a>\n      and 1 other collected your note" in html


def test_follows_tab_offers_follow_back(run_events, mei):
    ann = UserFactory(handle="ann")
    run_events(accounts_services.follow_create, follower=ann, followee=mei)
    client = signed_in(mei)
    html = client.get(INBOX, {"tab": "follows"}).content.decode()
    assert 'action="/@ann/follow/"' in html and "Follow back" in html

    run_events(accounts_services.follow_create, follower=mei, followee=ann)
    html = client.get(INBOX, {"tab": "follows"}).content.decode()
    assert 'action="/@ann/unfollow/"' in html


def test_admin_lists_notifications_read_only(run_events, mei, admin_client):
    run_events(accounts_services.follow_create, follower=UserFactory(), followee=mei)
    entry = Notification.objects.get(recipient=mei)
    assert admin_client.get("/admin/notifications/notification/").status_code == 200
    assert (
        admin_client.get(f"/admin/notifications/notification/{entry.pk}/change/").status_code == 200
    )


def test_counts_stop_at_100_per_tab_and_the_badge_says_99_plus(mei, django_assert_num_queries):
    fans = UserFactory.create_batch(105)
    Notification.objects.bulk_create(
        Notification(
            recipient=mei, kind="follow", tab="follows", group_key=f"user:{fan.pk}", actor=fan
        )
        for fan in fans
    )
    note = NoteFactory(author=mei)
    Notification.objects.create(
        recipient=mei,
        kind="like",
        tab="likes",
        group_key=f"note:{note.pk}",
        actor=fans[0],
        note=note,
    )
    with django_assert_num_queries(1):  # a cache miss: one query, bounded per tab
        counts = selectors.unread_counts(recipient=mei)
    assert (counts.follows, counts.likes, counts.comments) == (100, 1, 0)
    html = signed_in(mei).get("/").content.decode()
    assert 'aria-hidden="true">99+</span>' in html
