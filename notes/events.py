"""Domain events sent by notes services after commit (see rednote/events.py).

They carry ids (and a visibility value) only, and are sent only when the state changed.
Higher apps (feeds, notifications, search) subscribe in their `AppConfig.ready()`.

A note is *in circulation* when someone other than its author may see it: published, not
hidden, and public or followers-only. The two circulation events say who may read it now:

- note_published(note_id, author_id, visibility): the note reached readers who could not see it
  before; `visibility` ("public" or "followers") says who may read it now. Sent when a note's
  photos are ready (unless it is private), when it is unhidden (unless it is private), when
  an edit widens its visibility (private → followers/public, followers → public), and when an
  edit adds a hashtag to a public note (that tag's followers are newly reached). A feed adds
  it for the readers `visibility` allows; readers who had it already are left as they are.
- note_withdrawn(note_id, author_id, visibility): the note was taken away from some readers;
  `visibility` says who may still read it: "followers" (narrowed from public), "private" (made
  private: only the author), or None (deleted or hidden: no one). A feed removes it from the
  readers `visibility` no longer allows. A deletion also carries `hashtag_ids`, the tags the
  note had (its row, and so its tags, are gone). A private note's deletion sends nothing.
- note_liked(note_id, user_id, author_id) / note_unliked(note_id, user_id, author_id): `user_id`
  added or removed their like.
- note_collected(note_id, user_id, author_id, board_id): `user_id` put the note into their
  board `board_id` (once per board).
- note_uncollected(note_id, user_id, author_id, board_id): the note left that board (one event
  per board it left).
- note_mentioned(note_id, author_id, user_ids): people newly mentioned in a note in circulation
  (a list of user ids, never empty, never the author). Sent when the note is published or
  widened from private, for everyone it mentions; on an edit of a circulating note, for those
  the edit added only; for a note a keyword rule held, never while it is held: on approval,
  for those its held edits added (unhiding announces no one again). People in a block with
  the author, either way, are never recorded as mentioned. Whoever notifies must still show
  the note only to those its visibility allows.

Board deletion sends no per-note `note_uncollected`.

Hashtag groups (`notes.services.hashtag_groups`):
- hashtag_groups_changed(hashtag_ids, group_ids): moderators linked or unlinked tags; the tags
  `hashtag_ids` changed group, from or to the groups `group_ids` (some may be gone: merged or
  dissolved). Every tag page of those tags and of the groups' tags now shows other notes.

Comments (two levels: a top-level comment and its replies):
- comment_created(comment_id, note_id, note_author_id, author_id, parent_id, reply_to_user_id,
  mentioned_user_ids): a comment was posted. `parent_id` is None for a top-level comment, else
  the top-level comment it is filed under; `reply_to_user_id` is the person answered (the author
  of the comment replied to; None for a top-level comment); `mentioned_user_ids` lists the people
  newly mentioned (never the commenter, never someone in a block with them; may be empty).
- comment_deleted(comment_id, note_id, author_id): a comment is gone (with its replies when it
  was a top-level comment): deleted, or hidden by moderators (unhiding announces nothing).
- comment_liked(comment_id, note_id, user_id, author_id) / comment_unliked(comment_id, note_id,
  user_id, author_id): `user_id` added or removed their like of `author_id`'s comment.
"""

from django.dispatch import Signal

note_published = Signal()
note_withdrawn = Signal()
note_liked = Signal()
note_unliked = Signal()
note_collected = Signal()
note_uncollected = Signal()
note_mentioned = Signal()
comment_created = Signal()
comment_deleted = Signal()
comment_liked = Signal()
comment_unliked = Signal()
hashtag_groups_changed = Signal()
