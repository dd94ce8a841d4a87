"""The project's Celery app for one test, whose worker processes die while decoding a photo.

Each pool process, when it starts, replaces the decoder with a SIGKILL of itself: what the
kernel's out-of-memory killer, or a crash in a C decoder, does to a real worker. No exception
is raised, so nothing in the task can catch it; only the main worker process sees its child
vanish (`WorkerLostError`) and, with `task_reject_on_worker_lost`, puts the message back.

Run as `celery -A tests.workers.dies_decoding worker -P prefork ...` (see
tests/notes/test_worker_lost.py).
"""

import os
import signal

from celery.signals import worker_process_init

from rednote.celery import app

__all__ = ["app"]


@worker_process_init.connect
def _die_when_decoding(**kwargs) -> None:
    from notes.services import images

    def die(source) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    images.image_renditions_create = die
