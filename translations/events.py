"""Domain events sent by translations services after commit (see rednote/events.py), carrying
ids only, and only when the state changed:

- community_translation_changed(content_type_id, object_id): what the community translations
  of one note or comment (the generic target) offer readers may have changed: a suggestion
  made or replaced, a vote given or taken back, one accepted, hidden or shown again, or one
  edited or deleted by moderators. Higher apps (notes, whose pages show the translation) refresh
  what they keep of that content; translations does not know what the target is.
"""

from django.dispatch import Signal

community_translation_changed = Signal()
