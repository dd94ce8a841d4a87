"""Domain events sent by feeds services after commit (see rednote/events.py).

They carry ids only and are sent only when the state changed:

- hashtag_followed(user_id, hashtag_id): `user_id` now follows the tag; a home feed may start
  delivering the tag's notes to them.
- hashtag_unfollowed(user_id, hashtag_id): `user_id` no longer follows the tag; a home feed may
  take out the notes that reached them only through it.
"""

from django.dispatch import Signal

hashtag_followed = Signal()
hashtag_unfollowed = Signal()
