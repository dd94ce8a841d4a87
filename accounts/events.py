"""Domain events sent by accounts services after commit (see rednote/events.py).

- follow_changed(follower_id, followee_id, following): a follow was created or removed.
- user_blocked(blocker_id, blocked_id): a block was created (follows both ways are gone).
- user_suspended(user_id): moderators suspended an account.
"""

from django.dispatch import Signal

follow_changed = Signal()
user_blocked = Signal()
user_suspended = Signal()
