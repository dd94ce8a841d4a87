"""One table of relationship actions (accounts.relationships) behind the web buttons, the API
and the admin: each of the six actions gives the same state and the same event whichever
door it comes through."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Block, Follow, Mute, User
from accounts.relationships import RELATIONSHIP_ACTIONS, RELATIONSHIP_KINDS

pytestmark = pytest.mark.django_db

MODELS = {"follow": Follow, "block": Block, "mute": Mute}
EVENTS = {
    "follow": "follow_changed",
    "unfollow": "follow_changed",
    "block": "user_blocked",
    "unblock": "user_unblocked",
    "mute": "user_muted",
    "unmute": "user_unmuted",
}


def test_the_table_names_the_six_actions():
    assert set(RELATIONSHIP_ACTIONS) == set(EVENTS)
    for name, action in RELATIONSHIP_ACTIONS.items():
        assert action.name == name
        assert action.kind is RELATIONSHIP_KINDS[name.removeprefix("un")]
        assert action.creates is not name.startswith("un")
        assert "%(handle)s" in str(action.done)


def _edge_exists(kind: str, a: User, b: User) -> bool:
    first, second = RELATIONSHIP_KINDS[kind].people
    return MODELS[kind].objects.filter(**{first: a, second: b}).exists()


def _via_web(client, action: str, actor: User, other: User):
    client.force_login(actor)
    response = client.post(reverse(f"accounts:{action}", kwargs={"handle": other.handle}))
    assert response.status_code == 302


def _via_api(client, action: str, actor: User, other: User):
    api = APIClient()
    api.force_authenticate(actor)
    kind = action.removeprefix("un")
    path = reverse(f"api:user-{kind}", kwargs={"handle": other.handle})
    response = api.delete(path) if action.startswith("un") else api.post(path)
    assert response.status_code in (200, 201), response.content


def _via_admin(client, action: str, actor: User, other: User):
    staff = User.objects.create_superuser("root_admin", "root@example.com", "admin-pass-123")
    client.force_login(staff)
    kind = RELATIONSHIP_KINDS[action.removeprefix("un")]
    model = kind.model._meta.model_name
    if action.startswith("un"):
        edge = kind.model.objects.get(**dict(zip(kind.people, (actor, other), strict=True)))
        url = reverse(f"admin:accounts_{model}_delete", args=[edge.pk])
        response = client.post(url, {"post": "yes"})
    else:
        url = reverse(f"admin:accounts_{model}_add")
        response = client.post(url, dict(zip(kind.people, (actor.pk, other.pk), strict=True)))
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("door", [_via_web, _via_api, _via_admin], ids=["web", "api", "admin"])
@pytest.mark.parametrize("action", sorted(EVENTS))
def test_each_action_through_each_door(
    client, user, other_user, captured_events, django_capture_on_commit_callbacks, door, action
):
    kind = action.removeprefix("un")
    if action.startswith("un"):
        first, second = RELATIONSHIP_KINDS[kind].people
        MODELS[kind].objects.create(**{first: user, second: other_user})

    with django_capture_on_commit_callbacks(execute=True):
        door(client, action, user, other_user)

    assert _edge_exists(kind, user, other_user) is not action.startswith("un")
    assert captured_events.names() == [EVENTS[action]]
