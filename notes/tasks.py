"""Notes tasks: thin, by id; they import the services, never the other way round (services
enqueue `notes.image_process` and `notes.search_document_refresh` by name)."""

import logging

from celery import shared_task

from rednote.tasks import RETRY_POLICY

from .models import Comment, Note, NoteImage
from .search import note_search_document_update
from .services import note_image_process
from .services.comments import comment_translation_screen
from .services.hashtag_groups import hashtag_links_group_sync
from .services.screening import note_translation_screen


@shared_task(name="notes.image_process", acks_late=True, **RETRY_POLICY)  # routed to "images"
def note_image_process_task(image_id: int) -> None:
    """Make one photo's web renditions and publish its note when all are ready.

    A photo that cannot be processed never raises: the service records the reason on the photo
    and its note, and a damaged file is not tried again. Only the shared transient errors (the
    database or Redis briefly away) are retried, a bounded number of times. Running twice — a
    message redelivered after a lost worker — is harmless, but bounded too: a photo whose
    decoding keeps killing the worker fails after `MAX_PROCESSING_ATTEMPTS` runs (the service
    counts each run before decoding), rather than being redelivered forever.
    """
    image = NoteImage.objects.filter(pk=image_id, note__isnull=False).first()
    if image is None:  # deleted with its note, or never attached
        return
    note_image_process(image=image)


@shared_task(name="notes.search_document_refresh", acks_late=True, **RETRY_POLICY)
def note_search_document_refresh_task(note_id: int) -> None:
    """Rebuild a note's search document after its comments changed (idempotent: it reads the
    note and its comments as they are now)."""
    note = Note.objects.filter(pk=note_id).first()
    if note is None:  # deleted meanwhile
        return
    note_search_document_update(note)


@shared_task(name="notes.hashtag_links_group_sync", acks_late=True, **RETRY_POLICY)
def hashtag_links_group_sync_task(hashtag_ids: list[int]) -> None:
    """Copy the tags' groups onto their notes' links again, a minute after moderators linked
    or unlinked them (idempotent: reads each tag's group as it is now)."""
    hashtag_links_group_sync(hashtag_ids=hashtag_ids)


logger = logging.getLogger(__name__)

# How often the keyword screening asks again for translations still being made, and how long
# it waits between asks (the translations queue retries the provider on its own schedule).
KEYWORD_SCREEN_TRIES = 6
KEYWORD_SCREEN_WAIT_SECONDS = 60


@shared_task(name="notes.keyword_screen", bind=True, acks_late=True, **RETRY_POLICY)
def keyword_screen_task(self, kind: str, target_id: int) -> None:
    """Screen a new note's or comment's translations against the keyword rules after it was
    posted, holding it when a rule matches (`services.screening`). While a translation is
    still being made it asks again later, a bounded number of times; a provider that is down
    or not set up leaves the content as it is. Idempotent: held, hidden or gone content is
    skipped."""
    try:
        if kind == "note":
            note = Note.objects.filter(pk=target_id).first()
            pending = note is not None and note_translation_screen(note=note)
        else:
            comment = Comment.objects.filter(pk=target_id).first()
            pending = comment is not None and comment_translation_screen(comment=comment)
    except Exception:
        if not self.request.is_eager:
            raise  # the worker's retry policy (transient errors) and log
        # In-process (the quick start) this runs in the request that posted, after its
        # commit: the post stands, and screening failing must not turn it into an error.
        logger.exception("keyword screening of %s %s failed", kind, target_id)
        return
    retries = self.request.retries or 0
    if pending and not self.request.is_eager and retries < KEYWORD_SCREEN_TRIES:
        raise self.retry(
            kwargs={"kind": kind, "target_id": target_id},
            countdown=KEYWORD_SCREEN_WAIT_SECONDS,
            max_retries=KEYWORD_SCREEN_TRIES,
        )
