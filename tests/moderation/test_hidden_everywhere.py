"""Hidden content and suspended people disappear at once from every feed, tag page, search
result, thread, notification list, profile and the API — for visitors (whose pages are cached)
and signed-in readers alike — and come back when a moderator restores them (an appeal granted,
a suspension lifted, by hand or by the beat task when it runs out).

Everything goes through the services, their after-commit events and eager tasks, with the home
timelines in Redis (`redis_feeds`) and the database on PostgreSQL."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import auth_token_obtain
from feeds import ranking
from feeds.home import home_feed_page
from moderation.services.appeals import appeal_create, appeal_grant
from moderation.services.suspensions import account_suspend, account_unsuspend
from moderation.tasks import suspensions_expire_task
from notes import services as notes_services
from notes.services import comments as comment_services
from notifications import selectors as notifications
from tests.factories import PASSWORD, FollowFactory, NoteFactory, UserFactory
from tests.feeds.conftest import redis_feeds  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

TAG = "lanterns"
WORD = "lantern"


def active_user(**kwargs) -> User:
    return UserFactory(last_active_at=timezone.now(), **kwargs)


def ids_in(html: str, attribute: str = "data-note-id") -> set[int]:
    return {int(i) for i in re.findall(rf'{attribute}="(\d+)"', html)}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(redis_feeds, run_events):  # noqa: F811
    """Mei posts a public note tagged #lanterns; Ann follows her (home timeline in Redis),
    likes it and comments on it (Mei's notifications); the discover ranks are computed."""
    mei, ann = active_user(handle="mei"), active_user(handle="ann")
    FollowFactory(follower=ann, followee=mei)
    assert home_ids(ann) == set()  # Ann's timeline exists: the note is pushed into it
    note = NoteFactory(author=mei, visibility="private", title="Lantern night")
    run_events(
        notes_services.note_update,
        note=note,
        visibility="public",
        body=f"The {WORD} festival by the river #{TAG}",
    )
    note.refresh_from_db()
    run_events(notes_services.note_like, user=ann, note=note)
    comment = run_events(
        comment_services.comment_create, author=ann, note=note, body="Zephyrine colours!"
    )
    ranking.discover_ranks_recompute(since=None)
    return {"mei": mei, "ann": ann, "note": note, "comment": comment, "store": redis_feeds}


def home_ids(user) -> set[int]:
    return {n.pk for n in home_feed_page(viewer=user, cursor=None, size=50).items}


def note_surfaces(note, reader) -> dict[str, bool]:
    """Where `note` shows, for a visitor and for `reader` (signed in), page and API."""
    visitor, signed = Client(), signed_in(reader)
    author = note.author
    return {
        "home": note.pk in home_ids(reader),
        "discover page": note.pk in ids_in(visitor.get("/").content.decode()),
        "discover api": note.pk
        in {n["id"] for n in api(reader).get("/api/v1/feeds/discover/").json()["results"]},
        "tag page": note.pk in ids_in(visitor.get(f"/tags/{TAG}/").content.decode()),
        "tag api": note.pk
        in {n["id"] for n in api().get(f"/api/v1/tags/{TAG}/notes/").json()["results"]},
        "search page": note.pk in ids_in(signed.get(f"/search/?q={WORD}").content.decode()),
        "search api": note.pk
        in {n["id"] for n in api().get("/api/v1/search/", {"q": WORD}).json()["results"]},
        "note page": visitor.get(note.get_absolute_url()).status_code == 200,
        "note api": api(reader).get(f"/api/v1/notes/{note.pk}/").status_code == 200,
        "thread api": api().get(f"/api/v1/notes/{note.pk}/comments/").status_code == 200,
        "profile": note.pk in ids_in(visitor.get(f"/@{author.handle}/").content.decode()),
        # The inbox page and the API both list `notifications_of` (the one rule).
        "author's likes": any(
            e.kind == "like" for e in notifications.notifications_of(recipient=author)
        ),
    }


def _uncached_visitor_pages(settings) -> None:
    """What comes back may take up to VISITOR_PAGE_CACHE_SECONDS to reach visitors' cached pages
    (by design: only what must no longer be seen bumps them, rednote/pagecache.py)."""
    settings.VISITOR_PAGE_CACHE_SECONDS = 0


def test_a_hidden_note_is_gone_everywhere_at_once_and_back_when_the_appeal_is_granted(
    world, hide, moderator, run_events, settings
):
    note, ann, mei = world["note"], world["ann"], world["mei"]
    before = note_surfaces(note, ann)  # also fills the visitors' page cache
    assert all(before.values()), before

    hide(note, reason="Looks like an advert")

    after = note_surfaces(note, ann)
    assert not any(after.values()), after
    assert world["store"].timeline_members(ann.pk) == []
    # Its author alone still sees it, marked, with the reason.
    assert "Hidden by moderators: Looks like an advert" in (
        signed_in(mei).get(note.get_absolute_url()).content.decode()
    )

    appeal = appeal_create(author=mei, target=note, text="A festival, not an advert")
    run_events(appeal_grant, moderator=moderator, appeal=appeal, reason="Agreed")
    ranking.discover_ranks_recompute(since=None)
    _uncached_visitor_pages(settings)
    assert all(note_surfaces(note, ann).values())


def test_a_hidden_comment_is_gone_from_thread_search_and_notifications(world, hide):
    note, comment, mei, ann = world["note"], world["comment"], world["mei"], world["ann"]
    visitor = Client()

    def surfaces() -> dict[str, bool]:
        return {
            "thread page": comment.pk
            in ids_in(visitor.get(note.get_absolute_url()).content.decode(), "data-comment-id"),
            "thread api": comment.pk
            in {c["id"] for c in api().get(f"/api/v1/notes/{note.pk}/comments/").json()["results"]},
            "comment api": api(mei).get(f"/api/v1/comments/{comment.pk}/").status_code == 200,
            "found by its words": note.pk
            in {
                n["id"] for n in api().get("/api/v1/search/", {"q": "Zephyrine"}).json()["results"]
            },
            "author's inbox": any(
                e.kind == "comment" for e in notifications.notifications_of(recipient=mei)
            ),
        }

    before = surfaces()
    assert all(before.values()), before
    hide(comment, reason="Spam")
    after = surfaces()
    assert not any(after.values()), after
    # Its author sees it above the thread, marked.
    assert (
        "Hidden by moderators: Spam" in signed_in(ann).get(note.get_absolute_url()).content.decode()
    )


def test_a_suspended_person_is_signed_out_and_gone_and_back_when_lifted(
    world, moderator, run_events, settings
):
    note, mei, ann, comment = world["note"], world["mei"], world["ann"], world["comment"]
    # Mei is signed in (a session) and uses the API (a token).
    browser = Client()
    assert (
        browser.post("/accounts/login/", {"login": "mei", "password": PASSWORD}).status_code == 302
    )
    assert browser.get("/api/v1/me/").status_code == 200
    token = auth_token_obtain(user=mei).key
    assert api().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    # Ann's comment is under a note of someone else, to see her content leave too.
    other_note = NoteFactory(author=active_user(handle="bo"))
    their_comment = run_events(
        comment_services.comment_create, author=mei, note=other_note, body="Mei was here"
    )
    assert all(note_surfaces(note, ann).values())

    run_events(
        account_suspend,
        moderator=moderator,
        user=mei,
        until=timezone.now() + timedelta(days=7),
        reason="Spam",
    )

    surfaces = note_surfaces(note, ann)
    surfaces.pop("author's likes")  # Mei's own inbox: she cannot sign in to read it
    assert not any(surfaces.values()), surfaces
    assert world["store"].timeline_members(ann.pk) == []
    assert Client().get("/@mei/").status_code == 404
    thread = Client().get(other_note.get_absolute_url()).content.decode()
    assert their_comment.pk not in ids_in(thread, "data-comment-id")
    # Her session is over, her token too; signing in says until when.
    assert browser.get("/api/v1/me/").status_code in (401, 403)
    assert api().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    refused = Client().post("/accounts/login/", {"login": "mei", "password": PASSWORD})
    assert "Your account is suspended until" in refused.content.decode()
    # Ann's comment on Mei's note is not Mei's content: the note is gone, so is its thread.
    assert api().get(f"/api/v1/comments/{comment.pk}/").status_code == 404

    run_events(account_unsuspend, moderator=moderator, user=mei, reason="Appeal accepted")
    ranking.discover_ranks_recompute(since=None)
    _uncached_visitor_pages(settings)
    assert all(note_surfaces(note, ann).values())
    assert home_ids(ann) == {note.pk}  # the timeline rebuilt from PostgreSQL
    assert (
        Client().post("/accounts/login/", {"login": "mei", "password": PASSWORD}).status_code == 302
    )


def test_a_timed_suspension_ends_with_the_beat_task_and_the_feeds_come_back(
    world, moderator, run_events, settings
):
    note, mei, ann = world["note"], world["mei"], world["ann"]
    run_events(
        account_suspend,
        moderator=moderator,
        user=mei,
        until=timezone.now() + timedelta(hours=1),
        reason="Cool down",
    )
    assert home_ids(ann) == set()
    run_events(suspensions_expire_task.apply)  # not due yet: nothing changes
    assert not User.objects.get(pk=mei.pk).is_active

    User.objects.filter(pk=mei.pk).update(suspended_until=timezone.now() - timedelta(seconds=1))
    run_events(suspensions_expire_task.apply)

    mei.refresh_from_db()
    assert mei.is_active and mei.suspended_until is None
    assert home_ids(ann) == {note.pk}
    _uncached_visitor_pages(settings)
    assert note.pk in ids_in(Client().get(f"/tags/{TAG}/").content.decode())
