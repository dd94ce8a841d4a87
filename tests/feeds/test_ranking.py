"""Discover's ranking (feeds.ranking): engagement against age, recomputed by Celery beat and
when a note is published; the order is what `/` and the API show, to visitors too."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from feeds import ranking
from feeds.models import NoteRank
from feeds.selectors import notes_discover
from feeds.tasks import discover_ranks_recompute_task
from notes import services
from notes.models import Note
from rednote.celery import app
from tests.factories import NoteFactory, UserFactory
from tests.notes.test_views import upload

pytestmark = pytest.mark.django_db


def _score(hours_old: float, likes: int = 0, collects: int = 0, now=None) -> int:
    now = now or timezone.now()
    return ranking.discover_score(
        published_at=now - timedelta(hours=hours_old),
        counts={"like_count": likes, "collect_count": collects},
    )


def _discover_ids(client, path="/api/v1/feeds/discover/") -> list[int]:
    return [n["id"] for n in client.get(path, {"page_size": 100}).json()["results"]]


def test_score_grows_with_engagement_and_falls_with_age():
    now = timezone.now()
    assert _score(5, likes=3, now=now) > _score(5, likes=2, now=now)
    # A collect counts twice a like.
    assert _score(5, collects=1, now=now) == _score(5, likes=2, now=now)
    assert _score(1, likes=3, now=now) > _score(30, likes=3, now=now)
    # Ten times the engagement (points = 1 + likes) makes up for 48 hours.
    assert _score(0, likes=0, now=now) == _score(48, likes=9, now=now)
    assert _score(0, likes=0, now=now) > _score(48, likes=8, now=now)


def test_score_does_not_change_with_the_clock():
    """Why pages stay stable across recomputations: the stored score depends on the note only."""
    published_at = timezone.now() - timedelta(days=2)
    counts = {"like_count": 4, "collect_count": 1}
    first = ranking.discover_score(published_at=published_at, counts=counts)
    assert ranking.discover_score(published_at=published_at, counts=counts) == first


def test_recompute_orders_discover_by_engagement_and_age(api_client):
    now = timezone.now()
    popular_old = NoteFactory(published_at=now - timedelta(hours=30), like_count=40)
    fresh = NoteFactory(published_at=now - timedelta(hours=1))
    quiet_old = NoteFactory(published_at=now - timedelta(hours=30), like_count=1)
    stale_hit = NoteFactory(published_at=now - timedelta(days=9), like_count=50, collect_count=5)
    assert ranking.discover_ranks_recompute(since=None) == 4
    expected = [popular_old.pk, fresh.pk, quiet_old.pk, stale_hit.pk]
    # A visitor (anonymous) gets the ranked list, on the API and on the page.
    assert _discover_ids(api_client) == expected
    ids = [n.pk for n in notes_discover(viewer=None)]
    assert ids == expected


def test_the_periodic_task_takes_in_new_likes(api_client, user):
    now = timezone.now()
    first = NoteFactory(published_at=now - timedelta(hours=2))
    second = NoteFactory(published_at=now - timedelta(hours=3))
    ranking.discover_ranks_recompute(since=None)
    assert _discover_ids(api_client) == [first.pk, second.pk]
    for _ in range(3):
        services.note_like(user=UserFactory(), note=second)
    # Ranks move when the periodic task runs, not on every like.
    assert _discover_ids(api_client) == [first.pk, second.pk]
    assert discover_ranks_recompute_task.delay().get() == 2
    assert _discover_ids(api_client) == [second.pk, first.pk]


def test_the_periodic_task_leaves_old_ranks_alone_and_ranks_missing_ones():
    long_ago = timezone.now() - ranking.RECOMPUTE_WINDOW - timedelta(days=1)
    old = NoteFactory(published_at=long_ago)
    ranking.note_rank_update(note_id=old.pk)
    old_score = NoteRank.objects.get(note=old).score
    Note.objects.filter(pk=old.pk).update(like_count=100)
    forgotten = NoteFactory(published_at=long_ago)  # its task on note_published was lost
    recent = NoteFactory()
    assert ranking.discover_ranks_recompute_recent() == 2
    assert NoteRank.objects.get(note=old).score == old_score
    assert NoteRank.objects.filter(note__in=[forgotten, recent]).count() == 2
    assert discover_ranks_recompute_task.delay(everything=True).get() == 3
    assert NoteRank.objects.get(note=old).score > old_score


def test_recompute_is_idempotent_and_skips_unpublished():
    NoteFactory(like_count=2)
    NoteFactory(processing=True)
    assert ranking.discover_ranks_recompute(since=None) == 1
    scores = list(NoteRank.objects.values_list("note_id", "score"))
    assert ranking.discover_ranks_recompute(since=None) == 1
    assert list(NoteRank.objects.values_list("note_id", "score")) == scores


def test_beat_runs_the_recomputation_on_the_feeds_queue():
    entry = settings.CELERY_BEAT_SCHEDULE["feeds-discover-ranks"]
    assert entry["task"] == "feeds.discover_ranks_recompute"
    assert entry["task"] in app.tasks
    assert 0 < entry["schedule"] <= 3600
    route = app.amqp.router.route({}, entry["task"])
    assert route["queue"].name == "feeds"


@pytest.mark.django_db(transaction=True)  # the scheduler closes database connections
def test_the_database_scheduler_installs_the_entry():
    """Beat runs django-celery-beat's DatabaseScheduler: the settings entry becomes a periodic
    task row (which admin can pause) when beat starts."""
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    DatabaseScheduler(app=app, lazy=False)
    task = PeriodicTask.objects.get(name="feeds-discover-ranks")
    assert task.task == "feeds.discover_ranks_recompute" and task.enabled
    assert task.interval.every == int(
        settings.CELERY_BEAT_SCHEDULE["feeds-discover-ranks"]["schedule"]
    )


def test_a_published_note_is_ranked_at_once(user, django_capture_on_commit_callbacks):
    older = NoteFactory(published_at=timezone.now() - timedelta(hours=5))
    ranking.discover_ranks_recompute(since=None)
    images = upload(user)
    with django_capture_on_commit_callbacks(execute=True):
        note = services.note_create(author=user, media_ids=[i.pk for i in images], title="Fresh")
    note.refresh_from_db()
    assert note.status == "published"
    assert NoteRank.objects.filter(note=note).exists()
    assert [n.pk for n in notes_discover(viewer=None)] == [note.pk, older.pk]


def test_a_note_without_a_rank_still_appears_last(api_client):
    now = timezone.now()
    ranked = NoteFactory(published_at=now - timedelta(days=20))
    ranking.discover_ranks_recompute(since=None)
    unranked = NoteFactory(published_at=now)  # its ranking task has not run yet
    assert not NoteRank.objects.filter(note=unranked).exists()
    assert _discover_ids(api_client) == [ranked.pk, unranked.pk]


def test_a_note_whose_ranking_was_lost_is_back_after_the_periodic_run(api_client):
    # Unranked notes are looked for among the last day's only (the query stays small); an
    # older one whose task on note_published was lost waits for the next periodic run.
    lost = NoteFactory(published_at=timezone.now() - timedelta(days=3))
    assert _discover_ids(api_client) == []
    discover_ranks_recompute_task.delay()
    assert _discover_ids(api_client) == [lost.pk]


def test_pages_run_from_the_ranked_notes_into_the_unranked_ones(api_client):
    now = timezone.now()
    ranked = [NoteFactory(published_at=now - timedelta(hours=h)) for h in range(5)]
    ranking.discover_ranks_recompute(since=None)
    unranked = [NoteFactory(published_at=now - timedelta(hours=h)) for h in range(5)]
    seen, path, params = [], "/api/v1/feeds/discover/", {"page_size": 3}
    while path:
        body = api_client.get(path, params).json()
        assert len(body["results"]) == 3 or body["next"] is None
        seen += [n["id"] for n in body["results"]]
        path, params = body["next"], None
    assert seen == [n.pk for n in ranked] + sorted((n.pk for n in unranked), reverse=True)


def test_rank_of_a_note_gone_or_unpublished_is_dropped():
    note = NoteFactory()
    assert ranking.note_rank_update(note_id=note.pk)
    Note.objects.filter(pk=note.pk).update(status="failed")
    assert not ranking.note_rank_update(note_id=note.pk)
    assert not NoteRank.objects.exists()
    assert not ranking.note_rank_update(note_id=10**9)


def test_seed_demo_ranks_the_demo_notes(django_capture_on_commit_callbacks):
    """The quick start's Discover is ranked from the first page: every demo note has a rank
    that takes in its demo likes, collects and comments."""
    from io import StringIO

    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--notes", "4", stdout=StringIO())
    notes = Note.objects.filter(status="published")
    assert notes.count() == 4
    assert any(note.comment_count for note in notes)
    for note in notes:
        counts = {name: getattr(note, name) for name in ranking.ENGAGEMENT_WEIGHTS}
        expected = ranking.discover_score(published_at=note.published_at, counts=counts)
        assert NoteRank.objects.get(note=note).score == expected
