"""Domain events sent by accounts services after commit (see rednote/events.py), carrying ids
only, and only when the state changed:

- follow_changed(follower_id, followee_id, following): a follow was created or removed.
- user_blocked(blocker_id, blocked_id): a block was created (follows both ways are gone).
- user_unblocked(blocker_id, blocked_id): a block was lifted.
- user_muted(muter_id, muted_id): someone muted a person.
- user_unmuted(muter_id, muted_id): a mute was lifted.
- user_suspended(user_id): moderators suspended an account.
- user_unsuspended(user_id): moderators lifted a suspension (the account is active again).
- follow_requested(requester_id, target_id): someone asked to follow a private account.
- follow_request_accepted(requester_id, target_id): the owner accepted (a Follow now exists;
  follow_changed is sent too).
- follow_request_removed(requester_id, target_id): a pending request went without becoming a
  follow: the owner declined it, the requester cancelled it, or a block ended it.
- data_export_ready(user_id, export_id): a person's data archive can be downloaded.
- user_deleted(user_id): an account was closed by its owner (it is already inactive; its
  content is being removed).
"""

from django.dispatch import Signal

follow_changed = Signal()
user_blocked = Signal()
user_unblocked = Signal()
user_muted = Signal()
user_unmuted = Signal()
user_suspended = Signal()
user_unsuspended = Signal()
follow_requested = Signal()
follow_request_accepted = Signal()
follow_request_removed = Signal()
data_export_ready = Signal()
user_deleted = Signal()
