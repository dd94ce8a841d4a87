"""Domain events sent by moderation services after commit (see rednote/events.py):

- moderation_notice(recipient_id, action, reason, target_type, target_id, details): tell a
  person what the moderators did about them or their content (`action` a `ModerationAction`
  value: hide, unhide, delete, warn, suspend, approve, reject, appeal_grant, appeal_deny);
  notifications turns it into a notice in their inbox.
"""

from django.dispatch import Signal

moderation_notice = Signal()
