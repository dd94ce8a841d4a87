"""Writes of the inbox, called by the `notifications` tasks (one per domain event).

Every task may run twice or late (at-least-once delivery, no order between queues), so each
service first looks at the source row — the like, the board entry, the follow, the comment —
and does nothing when the act it was told of is no longer true: a like whose task runs after
its unlike's adds nobody. Rules on write (no notice to yourself, none from someone in a block
with you or muted by you, none about content you may not see) are the read rule's own
conditions (`notifications.selectors`); reads filter with it again.

Each change drops the recipient's cached unread counts after commit.

Split by concern: `grouping` (entries that gather people, the rules on write), `note_acts`,
`follows` and `comments` (one service per event), `site_notices` (the Notices tab),
`withdrawals` (blocks, mutes, deleted or hidden content, suspensions) and `reading` (marking
read, cached unread counts). Callers import from `notifications.services`.
"""

from .comments import (
    comment_created_notify,
    comment_like_notify,
    comment_unlike_notify,
)
from .follows import (
    follow_notify,
    follow_request_accepted_notify,
    follow_request_closed_notify,
    follow_request_notify,
    unfollow_notify,
)
from .grouping import (
    ONCE_KINDS,
    PERSON_KINDS,
    group_key,
    notification_actor_add,
    notification_actor_remove,
)
from .note_acts import (
    note_collect_notify,
    note_like_notify,
    note_mention_notify,
    note_uncollect_notify,
    note_unlike_notify,
)
from .reading import (
    notifications_read,
    unread_counts_forget,
)
from .site_notices import (
    export_ready_notify,
    moderation_notify,
    notice_create,
)
from .withdrawals import (
    note_withdrawn_notify,
    notifications_forget_person,
    notifications_of_comments_forget,
    notifications_of_note_forget,
    notifications_of_note_recount,
    person_acts_recount,
)

__all__ = [
    "ONCE_KINDS",
    "PERSON_KINDS",
    "comment_created_notify",
    "comment_like_notify",
    "comment_unlike_notify",
    "export_ready_notify",
    "follow_notify",
    "follow_request_accepted_notify",
    "follow_request_closed_notify",
    "follow_request_notify",
    "group_key",
    "moderation_notify",
    "note_collect_notify",
    "note_like_notify",
    "note_mention_notify",
    "note_uncollect_notify",
    "note_unlike_notify",
    "note_withdrawn_notify",
    "notice_create",
    "notification_actor_add",
    "notification_actor_remove",
    "notifications_forget_person",
    "notifications_of_comments_forget",
    "notifications_of_note_forget",
    "notifications_of_note_recount",
    "notifications_read",
    "person_acts_recount",
    "unfollow_notify",
    "unread_counts_forget",
]
