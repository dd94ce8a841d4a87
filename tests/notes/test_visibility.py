"""Who sees a note, on every HTML path that shows one, table-driven.

Viewer kinds × note states × paths. A single object (the note page, a photo) that the viewer
may not see is a 404, the same as a missing one (except a hidden note's page for its author,
marked hidden); lists (discover, tag page, profile grid, board page) simply leave the note out.
"""

import pytest
from django.test import Client

from notes.models import BoardNote, Hashtag, Note, NoteStatus
from tests.factories import BlockFactory, BoardFactory, FollowFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

VIEWERS = ["anonymous", "stranger", "follower", "author", "blocked_by_author", "blocking_author"]
STATES = ["public", "followers", "private", "hidden", "processing", "failed"]
PATHS = ["detail", "image", "profile", "tag", "board", "discover"]

# Who may see a note in each state (before the path's own rules below).
SEES = {
    "public": {"anonymous", "stranger", "follower", "author"},
    "followers": {"follower", "author"},
    "private": {"author"},
    "hidden": set(),
    "processing": {"author"},
    "failed": {"author"},
}
# Paths that list only published notes (the author finds drafts on the note page and profile).
PUBLISHED_ONLY = {"image", "tag", "board", "discover"}
SINGLE_OBJECT = {"detail", "image"}


def note_in_state(author, state: str) -> Note:
    if state in ("public", "followers", "private"):
        return NoteFactory(author=author, visibility=state, title="Secret garden")
    if state == "hidden":
        return NoteFactory(author=author, is_hidden=True, title="Secret garden")
    if state == "processing":
        return NoteFactory(author=author, processing=True, title="Secret garden")
    return NoteFactory(
        author=author, status=NoteStatus.FAILED, published_at=None, title="Secret garden"
    )


def viewer_of(kind: str, author):
    if kind == "anonymous":
        return None
    if kind == "author":
        return author
    viewer = UserFactory()
    if kind == "follower":
        FollowFactory(follower=viewer, followee=author)
    elif kind == "blocked_by_author":
        BlockFactory(blocker=author, blocked=viewer)
    elif kind == "blocking_author":
        BlockFactory(blocker=viewer, blocked=author)
    return viewer


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("kind", VIEWERS)
def test_visibility(kind, state, path):
    author = UserFactory(handle="author")
    note = note_in_state(author, state)
    tag = Hashtag.objects.create(name="garden", display_name="Garden")
    note.hashtags.add(tag)
    # A public board of a third person who collected the note while they could see it.
    board = BoardFactory(owner=UserFactory(), name="Gardens")
    BoardNote.objects.create(board=board, note=note)
    # Something the viewer may always see on list pages, so an empty page is not a pass.
    NoteFactory(title="Open meadow").hashtags.add(tag)
    BoardNote.objects.create(board=board, note=Note.objects.get(title="Open meadow"))

    viewer = viewer_of(kind, author)
    client = Client()
    if viewer is not None:
        client.force_login(viewer)

    visible = kind in SEES[state]
    if path in PUBLISHED_ONLY:
        visible = visible and note.status == NoteStatus.PUBLISHED

    if path in SINGLE_OBJECT:
        url = note.get_absolute_url() if path == "detail" else note.images.get().display_url
        response = client.get(url)
        if (kind, state, path) == ("author", "hidden", "detail"):
            # Its author alone still reads it, marked hidden by moderators (and may appeal).
            assert response.status_code == 200
            assert 'data-testid="hidden-banner"' in response.content.decode()
            return
        assert response.status_code == (200 if visible else 404), (kind, state, path)
        return

    url = {
        "profile": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "board": board.get_absolute_url(),
        "discover": "/",
    }[path]
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    if path != "profile":
        assert "Open meadow" in body
    assert ("Secret garden" in body) is visible, (kind, state, path)
    assert (f'href="/notes/{note.pk}/"' in body) is visible
