"""Domain events sent by notes services after commit (see rednote/events.py).

- note_published(note_id, author_id): a note became visible (its images are ready).
- note_withdrawn(note_id, author_id): a note left circulation (deleted, hidden, made private).
"""

from django.dispatch import Signal

note_published = Signal()
note_withdrawn = Signal()
