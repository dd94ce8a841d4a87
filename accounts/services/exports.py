"""Data export: a person asks for an archive of their data; a task builds it (a ZIP with
`data.json` and their photos) in private storage; they download it until it expires.

The archive holds what every app contributes (`accounts.personal_data`): accounts gives the
profile, follows, followers, blocks, mutes and the avatar; notes gives notes, comments, likes
and boards with the display rendition of each photo (re-encoded without metadata, as served:
the stored originals may carry GPS data and stay private).
"""

import json
import logging
import tempfile
import zipfile
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from rednote.events import send_on_commit
from rednote.tasks import enqueue_on_commit

from .. import events
from ..models import Block, DataExport, DataExportStatus, Follow, Mute, User
from ..personal_data import registry

logger = logging.getLogger(__name__)

# How long a ready archive can be downloaded.
EXPORT_TTL = timedelta(days=7)
# At most this many requests per person in EXPORT_RATE_WINDOW (one pending at a time besides).
EXPORTS_PER_WINDOW = 3
EXPORT_RATE_WINDOW = timedelta(days=1)
# A request still pending after this long is taken for lost (its worker died) and failed.
EXPORT_STALE_AFTER = timedelta(hours=6)
EXPORT_FORMAT_VERSION = 1
BUILD_TASK = "accounts.data_export_build"


class ExportThrottled(Exception):
    """Too many export requests lately; `wait` is how many seconds until the next one."""

    def __init__(self, message: str, *, wait: int) -> None:
        super().__init__(message)
        self.wait = wait


@transaction.atomic
def data_export_request(*, user: User) -> DataExport:
    """Ask for an archive of `user`'s data; it is built by a task after commit.

    Refused (ValidationError on `export`) while another request is being prepared, and
    (ExportThrottled) beyond `EXPORTS_PER_WINDOW` requests in `EXPORT_RATE_WINDOW`. The user's
    row is locked, so two requests at once cannot both pass the checks."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    now = timezone.now()
    mine = DataExport.objects.filter(user=user)
    if mine.filter(
        status=DataExportStatus.PENDING, created_at__gt=now - EXPORT_STALE_AFTER
    ).exists():
        raise ValidationError(
            {
                "export": [
                    _("Your archive is already being prepared. We will tell you when it is ready.")
                ]
            }
        )
    recent = list(
        mine.filter(created_at__gt=now - EXPORT_RATE_WINDOW)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) >= EXPORTS_PER_WINDOW:
        wait = int((recent[0] + EXPORT_RATE_WINDOW - now).total_seconds()) + 1
        raise ExportThrottled(
            _("You have asked for several archives today. Try again later."), wait=wait
        )
    export = DataExport.objects.create(user=user)
    enqueue_on_commit(BUILD_TASK, export_id=export.pk)
    return export


class _ZipArchive:
    """`personal_data.ExportArchive` over an open ZipFile."""

    def __init__(self, zip_file: zipfile.ZipFile) -> None:
        self.zip = zip_file
        self.names: set[str] = set()

    def add_file(self, arcname: str, *, storage: Storage, name: str) -> bool:
        if not name or arcname in self.names:
            return arcname in self.names
        try:
            with storage.open(name, "rb") as source, self.zip.open(arcname, "w") as target:
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
        except (FileNotFoundError, OSError):
            logger.warning("export: %s is missing, left out", name)
            return False
        self.names.add(arcname)
        return True


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def accounts_export(*, user: User, archive) -> dict[str, Any]:
    """Accounts' part of the archive: the profile, the social graph and the avatar."""
    avatar = None
    stored = user.avatar.name or ""
    if stored:
        arcname = f"avatar/{stored.rsplit('/', 1)[-1]}"
        if archive.add_file(arcname, storage=user.avatar.storage, name=stored):
            avatar = arcname

    def people(queryset, field: str) -> list[dict]:
        rows = queryset.select_related(field).order_by("created_at", "pk")
        return [
            {"handle": getattr(row, field).handle, "since": _iso(row.created_at)} for row in rows
        ]

    return {
        "profile": {
            "id": user.pk,
            "handle": user.handle,
            "email": user.email,
            "display_name": user.display_name,
            "bio": user.bio,
            "region": user.region,
            "languages": user.languages,
            "read_languages": user.read_languages,
            "ui_language": user.ui_language,
            "likes_public": user.likes_public,
            "auto_translate": user.auto_translate,
            "reading_aids": user.reading_aids,
            "learning_languages": user.learning_languages,
            "is_private": user.is_private,
            "date_joined": _iso(user.date_joined),
            "avatar": avatar,
        },
        "following": people(Follow.objects.filter(follower=user), "followee"),
        "followers": people(Follow.objects.filter(followee=user), "follower"),
        "blocks": people(Block.objects.filter(blocker=user), "blocked"),
        "mutes": people(Mute.objects.filter(muter=user), "muted"),
    }


def _archive_write(user: User, path: str) -> None:
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
        archive = _ZipArchive(zip_file)
        data.update(accounts_export(user=user, archive=archive))
        for part in registry.parts:
            if part.export is None:
                continue
            contributed = part.export(user=user, archive=archive)
            taken = data.keys() & contributed.keys()
            if taken:
                raise ValueError(f"export part {part.name} repeats the keys {sorted(taken)}")
            data.update(contributed)
        zip_file.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))


def data_export_build(*, export: DataExport) -> DataExport:
    """Build the archive of a pending export, store it privately and tell its owner
    (`data_export_ready`). A failure marks the export failed (logged) rather than raising;
    an export that is no longer pending is left as it is (a redelivered task)."""
    if export.status != DataExportStatus.PENDING:
        return export
    user = export.user
    try:
        with tempfile.NamedTemporaryFile(suffix=".zip") as scratch:
            _archive_write(user, scratch.name)
            scratch.seek(0)
            stamp = timezone.now().strftime("%Y%m%d")
            filename = f"rednote-{user.handle}-{stamp}-{get_random_string(12)}.zip"
            export.archive.save(filename, File(scratch), save=False)
    except Exception:
        logger.exception("export %s of user %s failed", export.pk, user.pk)
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExportStatus.FAILED, finished_at=timezone.now()
        )
        export.status = DataExportStatus.FAILED
        return export
    now = timezone.now()
    export.status = DataExportStatus.READY
    export.size = export.archive.size
    export.finished_at = now
    export.expires_at = now + EXPORT_TTL
    with transaction.atomic():
        updated = DataExport.objects.filter(pk=export.pk, status=DataExportStatus.PENDING).update(
            status=export.status,
            archive=export.archive.name,
            size=export.size,
            finished_at=now,
            expires_at=export.expires_at,
        )
        if updated:
            send_on_commit(
                events.data_export_ready, sender=DataExport, user_id=user.pk, export_id=export.pk
            )
    if not updated and export.archive.name:  # built twice at once, or the account went
        export.archive.storage.delete(export.archive.name)  # meanwhile: drop this copy
    return export


def data_export_delete_file(*, export: DataExport) -> None:
    """Remove an export's archive from storage (the row stays, with no file)."""
    name = export.archive.name
    if name:
        try:
            export.archive.storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name, exc_info=True)
    DataExport.objects.filter(pk=export.pk).update(archive="", size=0)


def data_exports_expire(*, now=None) -> int:
    """Delete the archives whose download period has ended, and fail requests lost on the
    way (pending far too long). Returns how many archives were deleted (periodic task)."""
    now = now or timezone.now()
    expired = DataExport.objects.filter(expires_at__lte=now).exclude(archive="")
    count = 0
    for export in expired.iterator():
        data_export_delete_file(export=export)
        count += 1
    DataExport.objects.filter(
        status=DataExportStatus.PENDING, created_at__lte=now - EXPORT_STALE_AFTER
    ).update(status=DataExportStatus.FAILED, finished_at=now)
    return count
