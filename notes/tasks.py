from celery import shared_task

from .models import NoteImage
from .services import note_image_process


@shared_task(
    name="notes.image_process",
    queue="images",
    acks_late=True,
    # Failures are recorded on the image by the service, not retried: a corrupt photo stays
    # corrupt. Only a worker lost mid-task redelivers (acks_late), which is safe: idempotent.
    autoretry_for=(),
)
def note_image_process_task(image_id: int) -> None:
    image = NoteImage.objects.select_related("note").filter(pk=image_id).first()
    if image is None or image.note_id is None:
        return
    note_image_process(image=image)
