"""A person's own requests racing each other (a follow and an unfollow of a tag or a person, a
like and an unlike, a mute and an unmute, sent at once by a client) end in a consistent state
and an answer, never a 500.

The race is replayed deterministically: the INSERT meets a unique-constraint conflict (a
concurrent request inserted the same row) and the row is already gone when looked at again (a
concurrent undo deleted it) — on the live site this gave DoesNotExist / IntegrityError 500s."""

import pytest
from django.db import IntegrityError

from accounts.models import Block, Follow, Mute
from feeds import tags
from feeds.models import HashtagFollow
from notes import services
from notes.models import Hashtag, Note, NoteLike
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def _conflict_once(monkeypatch, model) -> list[int]:
    """The next save of a new `model` row fails as if a concurrent request had inserted it
    (and, since nothing is stored, as if another had deleted it again)."""
    calls: list[int] = []
    real_save = model.save

    def save(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(model, "save", save)
    return calls


def test_tag_follow_racing_a_follow_and_an_unfollow(monkeypatch, user):
    hashtag = Hashtag.objects.create(name="citywalk", display_name="citywalk")
    calls = _conflict_once(monkeypatch, HashtagFollow)
    follow, created = tags.hashtag_follow(user=user, hashtag=hashtag)
    assert created and len(calls) == 2
    assert list(HashtagFollow.objects.filter(user=user)) == [follow]


def test_tag_follow_api_racing_answers_without_a_500(monkeypatch, auth_api_client, user):
    Hashtag.objects.create(name="citywalk", display_name="citywalk")
    _conflict_once(monkeypatch, HashtagFollow)
    response = auth_api_client.post("/api/v1/tags/citywalk/follow/")
    assert response.status_code == 201
    assert response.json()["following"] is True


def test_like_racing_a_like_and_an_unlike(monkeypatch, auth_api_client, user):
    note = NoteFactory()
    _conflict_once(monkeypatch, NoteLike)
    response = auth_api_client.post(f"/api/v1/notes/{note.pk}/like/")
    assert response.status_code == 200
    # The like that won was counted by its own request; this one added nothing.
    assert not NoteLike.objects.filter(user=user, note=note).exists()
    assert Note.objects.get(pk=note.pk).like_count == 0
    # Liking again later works as ever.
    assert services.note_like(user=user, note=note) is True
    assert Note.objects.get(pk=note.pk).like_count == 1


@pytest.mark.parametrize(
    ("model", "path"),
    [(Follow, "follow"), (Mute, "mute"), (Block, "block")],
)
def test_graph_write_racing_its_undo(monkeypatch, auth_api_client, user, other_user, model, path):
    _conflict_once(monkeypatch, model)
    response = auth_api_client.post(f"/api/v1/users/{other_user.handle}/{path}/")
    assert response.status_code == 201
    assert model.objects.count() == 1
