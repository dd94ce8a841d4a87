"""Feeds' part of closing an account (`accounts.personal_data`): the person's notes leave
their followers' home timelines, and their own timeline goes.

Run by the erasing task before notes deletes the notes, and done there and then rather than
enqueued: a `feeds` task would find the followers only while the follows exist, and the
account's row (and so its follows) is deleted at the end of the same erasing task. Readers who
got a note through a followed hashtag are reached by each note's own deletion event, which
names its tags.
"""

from accounts.models import Follow, User
from notes.models import Note

from .store import get_store


def feeds_erase(*, user: User) -> None:
    store = get_store()
    if store is None:
        return
    note_ids = list(Note.objects.filter(author=user).values_list("pk", flat=True))
    reader_ids = list(
        Follow.objects.filter(followee=user)
        .order_by("follower_id")
        .values_list("follower_id", flat=True)
    )
    store.timeline_remove(reader_ids, note_ids)  # pipelined in batches of readers
    store.timeline_drop(user.pk)
