"""Private accounts: a follow becomes a request the owner accepts or declines; followers-only
notes and the follow lists reach only approved followers; switching to public accepts the
requests waiting. Services, the web pages (with and without htmx) and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import selectors, services
from accounts.models import Follow, FollowRequest
from feeds.home import home_feed_page
from feeds.store import get_store
from notes import services as notes_services
from notes.models import Note, Visibility
from notifications.models import Notification, NotificationKind
from tests.api import assert_error
from tests.factories import BlockFactory, FollowFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return UserFactory(handle="lin", display_name="Lin", is_private=True)


@pytest.fixture
def asker(db):
    return UserFactory(handle="sam", display_name="Sam")


@pytest.fixture
def run_events(django_capture_on_commit_callbacks):
    """Run a service with its after-commit events and the tasks they enqueue (eager)."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def api(person=None) -> APIClient:
    client = APIClient()
    if person is not None:
        client.force_authenticate(user=person)
    return client


def state() -> tuple:
    return (Follow.objects.count(), FollowRequest.objects.count())


# --- Services -------------------------------------------------------------------------------


def test_following_a_private_account_is_a_request_once(run_events, captured_events, owner, asker):
    first = run_events(services.follow_create, follower=asker, followee=owner)
    again = run_events(services.follow_create, follower=asker, followee=owner)

    assert isinstance(first, FollowRequest) and again.pk == first.pk
    assert not Follow.objects.filter(follower=asker, followee=owner).exists()
    assert [name for name, _kw in captured_events.sent] == ["follow_requested"]
    relationship = selectors.relationship_get(viewer=asker, other=owner)
    assert relationship.requested and not relationship.following


def test_accept_makes_a_follow_and_tells_both(run_events, captured_events, owner, asker):
    run_events(services.follow_create, follower=asker, followee=owner)
    request_entry = Notification.objects.get(recipient=owner)
    assert request_entry.kind == NotificationKind.FOLLOW_REQUEST
    assert request_entry.actor == asker

    run_events(services.follow_request_accept, owner=owner, requester=asker)

    assert Follow.objects.filter(follower=asker, followee=owner).exists()
    assert not FollowRequest.objects.exists()
    sent = [name for name, _kw in captured_events.sent]
    assert sent == ["follow_requested", "follow_changed", "follow_request_accepted"]
    accepted = Notification.objects.get(recipient=asker)
    assert accepted.kind == NotificationKind.FOLLOW_ACCEPTED and accepted.actor == owner
    # The owner's unread request entry becomes the follow it turned into.
    kinds = set(Notification.objects.filter(recipient=owner).values_list("kind", flat=True))
    assert kinds == {NotificationKind.FOLLOW}


def test_decline_removes_the_request_and_tells_nobody(run_events, owner, asker):
    run_events(services.follow_create, follower=asker, followee=owner)
    run_events(services.follow_request_decline, owner=owner, requester=asker)

    assert state() == (0, 0)
    assert not Notification.objects.filter(recipient=asker).exists()
    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()


def test_unfollow_cancels_a_pending_request(run_events, captured_events, owner, asker):
    run_events(services.follow_create, follower=asker, followee=owner)

    assert run_events(services.follow_delete, follower=asker, followee=owner) is True

    assert state() == (0, 0)
    assert captured_events.sent[-1] == (
        "follow_request_removed",
        {"requester_id": asker.pk, "target_id": owner.pk},
    )
    assert not Notification.objects.filter(recipient=owner).exists()


def test_only_the_owner_answers_a_request(run_events, owner, asker):
    stranger = UserFactory(handle="stranger")
    run_events(services.follow_create, follower=asker, followee=owner)

    with pytest.raises(ValidationError) as refused:
        services.follow_request_accept(owner=stranger, requester=asker)
    assert "handle" in refused.value.message_dict
    assert state() == (0, 1)


def test_blocked_people_cannot_request_and_a_block_ends_a_request(run_events, owner, asker):
    BlockFactory(blocker=owner, blocked=asker)
    with pytest.raises(ValidationError) as refused:
        services.follow_create(follower=asker, followee=owner)
    assert "followee" in refused.value.message_dict
    assert state() == (0, 0)

    other = UserFactory(handle="other")
    run_events(services.follow_create, follower=other, followee=owner)
    run_events(services.block_create, blocker=owner, blocked=other)
    assert state() == (0, 0)


def test_switching_to_public_accepts_every_pending_request(run_events, owner):
    askers = [UserFactory() for _ in range(3)]
    for person in askers:
        run_events(services.follow_create, follower=person, followee=owner)

    run_events(services.profile_update, user=owner, is_private=False)

    assert set(Follow.objects.filter(followee=owner).values_list("follower", flat=True)) == {
        person.pk for person in askers
    }
    assert not FollowRequest.objects.exists()
    for person in askers:
        assert Notification.objects.get(recipient=person).kind == NotificationKind.FOLLOW_ACCEPTED
    # A follow now, not a request.
    newcomer = UserFactory()
    assert isinstance(services.follow_create(follower=newcomer, followee=owner), Follow)


def test_existing_followers_stay_when_going_private(run_events, asker):
    person = UserFactory(handle="goes_private")
    FollowFactory(follower=asker, followee=person)
    run_events(services.profile_update, user=person, is_private=True)
    assert isinstance(services.follow_create(follower=asker, followee=person), Follow)


def test_followers_only_notes_stay_hidden_from_requesters(run_events, owner, asker):
    note = NoteFactory(author=owner, visibility=Visibility.FOLLOWERS)
    run_events(services.follow_create, follower=asker, followee=owner)
    assert not Note.objects.visible_to(asker).filter(pk=note.pk).exists()
    assert signed_in(asker).get(note.get_absolute_url()).status_code == 404

    run_events(services.follow_request_accept, owner=owner, requester=asker)
    assert Note.objects.visible_to(asker).filter(pk=note.pk).exists()


def test_a_pending_request_fans_nothing_out(
    run_events, owner, asker, settings, django_capture_on_commit_callbacks
):
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: REDIS_URL is not set")
    settings.FEEDS_REDIS_URL, settings.FEEDS_REDIS_CLUSTER = settings.REDIS_URL, False
    store = get_store()
    store.flush()
    run_events(services.follow_create, follower=asker, followee=owner)
    home_feed_page(viewer=asker, cursor=None, size=20)  # the asker's timeline exists
    notes = []
    for visibility in ("public", "followers"):
        note = NoteFactory(author=owner, visibility="private", body="A walk by the river.")
        with django_capture_on_commit_callbacks(execute=True):
            notes_services.note_update(note=note, visibility=visibility, body=note.body)
        notes.append(note.pk)

    assert store.timeline_members(asker.pk) == []
    assert home_feed_page(viewer=asker, cursor=None, size=20).items == []

    run_events(services.follow_request_accept, owner=owner, requester=asker)
    shown = {note.pk for note in home_feed_page(viewer=asker, cursor=None, size=20).items}
    assert shown == set(notes)
    store.flush()


# --- Follow lists: one rule, page and API alike -----------------------------------------------


@pytest.mark.parametrize("kind", ["followers", "following"])
def test_private_lists_hidden_from_visitors_requesters_and_strangers(
    kind, run_events, owner, asker
):
    FollowFactory(follower=UserFactory(handle="approved"), followee=owner)
    FollowFactory(follower=owner, followee=UserFactory(handle="friend"))
    run_events(services.follow_create, follower=asker, followee=owner)
    page_url = reverse(f"accounts:{kind}", kwargs={"handle": owner.handle})
    api_url = reverse(f"api:user-{kind}", kwargs={"handle": owner.handle})

    for viewer in (None, asker, UserFactory(handle="stranger")):
        page = (signed_in(viewer) if viewer else Client()).get(page_url)
        assert page.status_code == 403
        html = page.content.decode()
        assert 'data-testid="people-private"' in html
        assert "@approved" not in html and "@friend" not in html
        body = assert_error(api(viewer).get(api_url), 403)
        assert "private" in body["detail"]


@pytest.mark.parametrize("kind", ["followers", "following"])
def test_private_lists_shown_to_owner_and_approved_followers(kind, owner):
    approved = UserFactory(handle="approved")
    FollowFactory(follower=approved, followee=owner)
    FollowFactory(follower=owner, followee=UserFactory(handle="friend"))
    page_url = reverse(f"accounts:{kind}", kwargs={"handle": owner.handle})
    api_url = reverse(f"api:user-{kind}", kwargs={"handle": owner.handle})
    expected = "approved" if kind == "followers" else "friend"

    for viewer in (owner, approved):
        page = signed_in(viewer).get(page_url)
        assert page.status_code == 200 and f"@{expected}" in page.content.decode()
        response = api(viewer).get(api_url)
        assert response.status_code == 200
        assert [row["handle"] for row in response.json()["results"]] == [expected]


def test_public_lists_stay_public(asker):
    person = UserFactory(handle="open")
    FollowFactory(follower=asker, followee=person)
    assert Client().get(reverse("accounts:followers", kwargs={"handle": "open"})).status_code == 200
    assert api().get(reverse("api:user-followers", kwargs={"handle": "open"})).status_code == 200


# --- Web: follow button, settings, the requests page ----------------------------------------


def test_follow_button_says_requested_and_cancels(owner, asker):
    client = signed_in(asker)
    follow_url = reverse("accounts:follow", kwargs={"handle": owner.handle})

    response = client.post(follow_url, {"next": "/"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="requested"' in html and "Requested" in html
    assert reverse("accounts:unfollow", kwargs={"handle": owner.handle}) in html
    assert state() == (0, 1)

    # The profile shows the same state.
    profile = client.get(owner.get_absolute_url()).content.decode()
    assert 'data-state="requested"' in profile

    response = client.post(
        reverse("accounts:unfollow", kwargs={"handle": owner.handle}), follow=True
    )
    assert "You cancelled your request to follow @lin." in response.content.decode()
    assert state() == (0, 0)


def test_follow_without_javascript_says_a_request_was_sent(owner, asker):
    response = signed_in(asker).post(
        reverse("accounts:follow", kwargs={"handle": owner.handle}), follow=True
    )
    assert "your request to follow is sent" in response.content.decode()


def test_settings_has_the_private_checkbox(owner):
    person = UserFactory(handle="toggler")
    client = signed_in(person)
    html = client.get(reverse("accounts:settings")).content.decode()
    assert 'name="is_private"' in html

    form = {"handle": "toggler", "display_name": person.display_name, "is_private": "on"}
    response = client.post(reverse("accounts:settings"), form)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_private


def test_settings_switch_to_public_accepts_requests(run_events, owner, asker):
    run_events(services.follow_create, follower=asker, followee=owner)
    form = {"handle": owner.handle, "display_name": owner.display_name}  # checkbox unticked
    response = signed_in(owner).post(reverse("accounts:settings"), form)
    assert response.status_code == 302
    owner.refresh_from_db()
    assert not owner.is_private
    assert Follow.objects.filter(follower=asker, followee=owner).exists()


def test_requests_page_lists_and_escapes(run_events, owner):
    sly = UserFactory(handle="sly", display_name="<script>alert(1)</script>")
    run_events(services.follow_create, follower=sly, followee=owner)
    html = signed_in(owner).get(reverse("accounts:follow_requests")).content.decode()
    assert 'data-testid="follow-request"' in html and 'data-handle="sly"' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_requests_page_needs_signing_in():
    response = Client().get(reverse("accounts:follow_requests"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_requests_page_query_count_does_not_grow(run_events, owner, django_assert_max_num_queries):
    client = signed_in(owner)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("accounts:follow_requests")).status_code == 200
        return len(context.captured_queries)

    run_events(services.follow_create, follower=UserFactory(), followee=owner)
    few = count_queries()
    for _ in range(8):
        run_events(services.follow_create, follower=UserFactory(), followee=owner)
    many = count_queries()
    assert many == few <= 8  # session, user, count, page (and the shell's reads)
    with django_assert_max_num_queries(few):
        client.get(reverse("accounts:follow_requests"))


@pytest.mark.parametrize("htmx", [True, False])
def test_accept_and_decline_from_the_page(htmx, run_events, owner, asker):
    other = UserFactory(handle="other")
    run_events(services.follow_create, follower=asker, followee=owner)
    run_events(services.follow_create, follower=other, followee=owner)
    client = signed_in(owner)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    with_accept = client.post(
        reverse("accounts:follow_request_accept", kwargs={"handle": "sam"}), **headers
    )
    with_decline = client.post(
        reverse("accounts:follow_request_decline", kwargs={"handle": "other"}), **headers
    )
    if htmx:
        assert 'data-testid="follow-request-accepted"' in with_accept.content.decode()
        assert 'data-testid="follow-request-declined"' in with_decline.content.decode()
    else:
        assert with_accept.status_code == 302
        assert with_accept["Location"] == reverse("accounts:follow_requests")
    assert Follow.objects.filter(follower=asker, followee=owner).exists()
    assert not Follow.objects.filter(follower=other, followee=owner).exists()
    assert not FollowRequest.objects.exists()


def test_answering_someone_elses_request_is_a_404(run_events, owner, asker):
    stranger = UserFactory(handle="stranger")
    run_events(services.follow_create, follower=asker, followee=owner)
    client = signed_in(stranger)
    for answer in ("accept", "decline"):
        url = reverse(f"accounts:follow_request_{answer}", kwargs={"handle": "sam"})
        assert client.post(url).status_code == 404
    assert state() == (0, 1)


# --- API ----------------------------------------------------------------------------------


def test_api_follow_a_private_account_answers_requested(owner, asker):
    url = reverse("api:user-follow", kwargs={"handle": owner.handle})
    response = api(asker).post(url)
    assert response.status_code == 201
    assert response.json()["following"] is False and response.json()["requested"] is True
    again = api(asker).post(url)
    assert again.status_code == 200 and again.json()["requested"] is True

    profile = api(asker).get(reverse("api:user-detail", kwargs={"handle": owner.handle})).json()
    assert profile["is_private"] is True and profile["relationship"]["requested"] is True

    cancelled = api(asker).delete(url)
    assert cancelled.status_code == 200 and cancelled.json()["requested"] is False
    assert state() == (0, 0)


def test_api_lists_the_callers_incoming_requests(run_events, owner, asker):
    other = UserFactory(handle="other")
    run_events(services.follow_create, follower=asker, followee=owner)
    run_events(services.follow_create, follower=other, followee=owner)
    # A request to someone else is not the caller's.
    run_events(
        services.follow_create, follower=asker, followee=UserFactory(handle="x", is_private=True)
    )

    response = api(owner).get(reverse("api:follow-requests"), {"page_size": 1})
    assert response.status_code == 200
    body = response.json()
    assert [row["requester"]["handle"] for row in body["results"]] == ["other"]
    second = api(owner).get(body["next"]).json()
    assert [row["requester"]["handle"] for row in second["results"]] == ["sam"]
    assert second["next"] is None

    assert api().get(reverse("api:follow-requests")).status_code in (401, 403)


def test_api_accept_and_decline(run_events, owner, asker):
    other = UserFactory(handle="other")
    run_events(services.follow_create, follower=asker, followee=owner)
    run_events(services.follow_create, follower=other, followee=owner)
    url = reverse("api:follow-requests")

    accepted = api(owner).post(url, {"handle": "@Sam", "action": "accept"}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["requester"]["handle"] == "sam"
    assert accepted.json()["follows_you"] is True
    declined = api(owner).post(url, {"handle": "other", "action": "decline"}, format="json")
    assert declined.status_code == 200 and declined.json()["follows_you"] is False

    assert list(Follow.objects.values_list("follower__handle", flat=True)) == ["sam"]
    assert not FollowRequest.objects.exists()


@pytest.mark.parametrize(
    ("payload", "status", "fields"),
    [
        ({"handle": "nobody_here", "action": "accept"}, 404, ()),
        ({"handle": "sam", "action": "maybe"}, 400, ("action",)),
        ({"action": "accept"}, 400, ("handle",)),
        ({"handle": "sam"}, 400, ("action",)),
        ({"handle": "bad handle!", "action": "accept"}, 404, ()),
    ],
)
def test_api_bad_answers_store_nothing(payload, status, fields, run_events, owner, asker):
    run_events(services.follow_create, follower=asker, followee=owner)
    before = state()
    response = api(owner).post(reverse("api:follow-requests"), payload, format="json")
    assert_error(response, status, *fields)
    assert state() == before


def test_api_answering_a_request_that_is_not_yours_is_a_404(run_events, owner, asker):
    stranger = UserFactory(handle="stranger", is_private=True)
    run_events(services.follow_create, follower=asker, followee=owner)
    response = api(stranger).post(
        reverse("api:follow-requests"), {"handle": "sam", "action": "accept"}, format="json"
    )
    assert_error(response, 404)
    assert state() == (0, 1)


def test_api_me_switch_to_public_accepts_requests(run_events, owner, asker):
    run_events(services.follow_create, follower=asker, followee=owner)
    response = api(owner).patch(reverse("api:me"), {"is_private": False}, format="json")
    assert response.status_code == 200 and response.json()["is_private"] is False
    assert Follow.objects.filter(follower=asker, followee=owner).exists()


def test_profile_says_private_and_links_the_owner_to_requests(owner, asker):
    visitor_html = Client().get(owner.get_absolute_url()).content.decode()
    assert 'data-testid="private-chip"' in visitor_html
    assert 'data-testid="follow-requests-link"' not in visitor_html
    own_html = signed_in(owner).get(owner.get_absolute_url()).content.decode()
    assert 'data-testid="follow-requests-link"' in own_html
    assert reverse("accounts:follow_requests") in own_html
    public_html = Client().get(asker.get_absolute_url()).content.decode()
    assert 'data-testid="private-chip"' not in public_html


def test_search_and_suggestions_know_a_pending_request(run_events, owner, asker):
    from feeds.suggestions import people_to_follow

    NoteFactory(author=owner, title="Lin's walk")
    run_events(services.follow_create, follower=asker, followee=owner)
    assert owner not in people_to_follow(viewer=asker)
    html = signed_in(asker).get("/search/", {"q": "lin", "type": "users"}).content.decode()
    assert 'data-state="requested"' in html


def test_api_requests_list_query_count_does_not_grow(run_events, owner):
    client = api(owner)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("api:follow-requests")).status_code == 200
        return len(context.captured_queries)

    run_events(services.follow_create, follower=UserFactory(), followee=owner)
    few = count_queries()
    for _ in range(8):
        run_events(services.follow_create, follower=UserFactory(), followee=owner)
    assert count_queries() == few <= 3
