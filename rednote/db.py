"""Database helpers every app's services share."""

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

Row = TypeVar("Row", bound=models.Model)

# Tries of a write that keeps meeting a concurrent create and delete of the same row.
RACE_ATTEMPTS = 3


def get_or_create_racing(
    model: type[Row],
    *,
    field: str,
    create: Callable[[], Row] | None = None,
    **lookup,
) -> tuple[Row, bool]:
    """`get_or_create` for a row (unique on `lookup`) that one person may be creating and
    deleting in concurrent requests: an INSERT that collides looks again, and creates anew when
    a concurrent delete already took the row away — where Django's own raises, a 500.

    `create` makes the row (default: `model(**lookup)`), and may refuse with a ValidationError;
    after `RACE_ATTEMPTS` collisions the write is refused on `field`, asking to try again.
    Returns the row and whether this call created it."""
    manager = model._default_manager
    for _attempt in range(RACE_ATTEMPTS):
        row = manager.filter(**lookup).first()
        if row is not None:
            return row, False
        try:
            with transaction.atomic():
                return (create() if create is not None else manager.create(**lookup)), True
        except IntegrityError:
            continue
    raise ValidationError({field: [_("This is changing right now; try again.")]})
