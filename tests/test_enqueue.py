"""The one door for side effects, by task name: services enqueue tasks without importing them."""

import subprocess
import sys

import pytest
from django.conf import settings

from notes.models import ImageStatus
from rednote.tasks import enqueue_on_commit, task_by_name
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def test_enqueue_by_name_runs_the_registered_task_after_commit(django_capture_on_commit_callbacks):
    note = NoteFactory(processing=True)
    image = note.images.get()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("notes.image_process", image_id=image.pk)
        image.refresh_from_db()
        assert image.status == ImageStatus.PENDING  # nothing before commit
    image.refresh_from_db()
    assert image.status == ImageStatus.READY


def test_an_unknown_task_name_is_an_error():
    with pytest.raises(KeyError):
        task_by_name("notes.no_such_task")


def test_notes_services_do_not_import_the_task_modules():
    code = (
        "import sys, django; django.setup(); import notes.services; "
        "assert 'notes.tasks' not in sys.modules, 'notes.services imports notes.tasks'"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "rednote.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
