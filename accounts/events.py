"""Domain events sent by accounts services after commit (see rednote/events.py), carrying ids
only, and only when the state changed:

- follow_changed(follower_id, followee_id, following): a follow was created or removed.
- user_blocked(blocker_id, blocked_id): a block was created (follows both ways are gone).
- user_unblocked(blocker_id, blocked_id): a block was lifted.
- user_muted(muter_id, muted_id): someone muted a person.
- user_unmuted(muter_id, muted_id): a mute was lifted.
- user_suspended(user_id): moderators suspended an account.
- user_unsuspended(user_id): moderators lifted a suspension (the account is active again).
"""

from django.dispatch import Signal

follow_changed = Signal()
user_blocked = Signal()
user_unblocked = Signal()
user_muted = Signal()
user_unmuted = Signal()
user_suspended = Signal()
user_unsuspended = Signal()
