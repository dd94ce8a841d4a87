"""The one keyset cursor codec: a position in a list ordered by (score, id), both descending.

Every paged list — the HTML grids' "load more", the API's `next`/`previous` links and the Redis
feed store — says where a page ends the same way: the score of its last row (an integer; a
time is its microseconds since the epoch, see `datetime_score`) and that row's id, which breaks
ties between equal scores. A page after a position holds the rows with a lower score, or the
same score and a lower id, so pages continue seamlessly however many rows share a score.

A cursor is opaque to people (URL-safe base64, no padding) but not secret: a forged one can
only move the position, never widen what the list lets its reader see. `backwards` marks a
cursor for the page *before* the position (the API's `previous` link).
"""

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# Scores and ids are stored in 64-bit signed integers (bigint columns, Redis scores used as
# integers), so a position outside that range was not made here.
SCORE_MAX = 2**63 - 1
ID_MAX = 2**63 - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TOKEN = re.compile(r"(?P<back>-)?(?P<score>-?\d{1,19})\.(?P<id>\d{1,19})")


class InvalidCursor(ValueError):
    """A cursor this codec did not make (malformed, tampered, or out of range)."""


@dataclass(frozen=True)
class Cursor:
    score: int
    id: int
    backwards: bool = False


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def cursor_encode(score: int, pk: int, *, backwards: bool = False) -> str:
    """The token for the position (`score`, `pk`); `backwards` for the page before it."""
    if not _is_int(score) or not -SCORE_MAX <= score <= SCORE_MAX:
        raise ValueError(f"A cursor score is a 64-bit integer, not {score!r}.")
    if not _is_int(pk) or not 0 < pk <= ID_MAX:
        raise ValueError(f"A cursor id is a positive 64-bit integer, not {pk!r}.")
    raw = f"{'-' if backwards else ''}{score}.{pk}".encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def cursor_decode(token: str) -> Cursor:
    """The position in `token`. Raises InvalidCursor for anything `cursor_encode` did not make."""
    if not isinstance(token, str) or not 0 < len(token) <= 64:
        raise InvalidCursor(token)
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise InvalidCursor(token) from exc
    match = _TOKEN.fullmatch(raw)
    if match is None:
        raise InvalidCursor(token)
    score, pk = int(match["score"]), int(match["id"])
    if not -SCORE_MAX <= score <= SCORE_MAX or not 0 < pk <= ID_MAX:
        raise InvalidCursor(token)
    # One spelling per position: a token that re-encodes differently was not made here.
    if cursor_encode(score, pk, backwards=bool(match["back"])) != token.rstrip("="):
        raise InvalidCursor(token)
    return Cursor(score=score, id=pk, backwards=bool(match["back"]))


def datetime_score(moment: datetime) -> int:
    """A time as a score: whole microseconds since the epoch (exact in a Redis score, whose
    doubles hold integers up to 2**53, i.e. until the year 2255)."""
    if moment.tzinfo is None:
        raise ValueError("A naive time has no place on the timeline.")
    return (moment - _EPOCH) // timedelta(microseconds=1)


def score_datetime(score: int) -> datetime:
    """The time a score stands for (UTC). Raises InvalidCursor when no datetime can hold it."""
    try:
        return _EPOCH + timedelta(microseconds=score)
    except OverflowError as exc:
        raise InvalidCursor(str(score)) from exc
