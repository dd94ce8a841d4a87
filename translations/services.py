"""Translating texts for readers: the machine-translation cache, the translations queue,
quotas, privacy, community translations and feedback.

Callers (notes, for notes and comments) pass text and languages, and the note or comment as
`content` when community translations may replace the machine one; they have checked that the
reader may see it. Results are plain text: never mark them safe — templates escape them like
any user text, so HTML in a provider's answer shows as text.

Machine translation, step by step (`translations_get_many`):
1. a community translation of `content` that its author accepted or enough readers upvoted;
2. nothing more without a provider (`TRANSLATION_PROVIDER` empty: "not configured");
3. private text (followers-only, private) only to a self-hosted provider;
4. the cache: a text translated before costs nothing, whoever asked;
5. the reader's hourly quota, counted in characters sent to the provider;
6. a `pending` row per text, and one task on the `translations` queue for the whole batch,
   which calls the provider once per batch (chunked by what it takes), retries failures and
   429s with backoff, and finally marks what it could not translate `failed`.
With eager tasks (the quick start) step 6 runs in-process and the answer comes back at once;
with workers the caller gets `pending` and asks again.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from rednote.events import send_on_commit
from rednote.tasks import enqueue_on_commit

from . import events
from .detection import Detection, language_detect
from .models import (
    COMMUNITY_TRANSLATION_MAX_LENGTH,
    FEEDBACK_COMMENT_MAX_LENGTH,
    CommunityTranslation,
    CommunityTranslationVote,
    FeedbackKind,
    MachineTranslation,
    MachineTranslationStatus,
    TranslationFeedback,
    UsageKind,
)
from .providers import ProviderError, ProviderRefused, TranslationProvider, provider_get
from .usage import usage_count

logger = logging.getLogger(__name__)

# Enqueued by name: tasks import services, never the other way round.
TRANSLATE_TASK = "translations.translate"
# A failed translation is tried again when someone asks after this long (the provider may be
# back); a pending one is enqueued again when its message seems lost.
FAILED_RETRY_AFTER = timedelta(minutes=30)
PENDING_STALE_AFTER = timedelta(minutes=15)
# The longest wait between two tries of a queued translation, whatever Retry-After says.
MAX_RETRY_WAIT_SECONDS = 600.0


class State:
    DONE = "done"
    PENDING = "pending"
    UNAVAILABLE = "unavailable"


class Reason:
    """Why a translation is unavailable (`TranslationResult.reason`)."""

    NOT_CONFIGURED = "not_configured"
    PRIVATE = "private"
    QUOTA = "quota"
    FAILED = "failed"
    EMPTY = "empty"
    SAME_LANGUAGE = "same_language"
    # A poll (`poll=True`) about a text nobody asked to translate (or whose failure may be
    # tried again): polling never asks the provider; asking again without polling does.
    NOT_ASKED = "not_asked"


class Kind:
    MACHINE = "machine"
    COMMUNITY = "community"


@dataclass(frozen=True)
class TranslationResult:
    """What a reader gets for one text.

    `state` "done" carries `text` (plain, unescaped), the languages, `provider` (a display
    name: "LibreTranslate", or the translator's handle for a community translation) and `kind`;
    "pending" means queued, ask again; "unavailable" carries `reason` (a `Reason`) and
    `detail`, a sentence in the active language for the reader.
    """

    state: str
    target_language: str
    source_language: str | None = None
    text: str = ""
    provider: str = ""
    kind: str = Kind.MACHINE
    cached: bool = False
    reason: str = ""
    detail: str = ""
    community_translation_id: int | None = None

    @property
    def is_done(self) -> bool:
        return self.state == State.DONE

    @property
    def is_pending(self) -> bool:
        return self.state == State.PENDING

    @property
    def is_unavailable(self) -> bool:
        return self.state == State.UNAVAILABLE

    def as_json(self) -> dict:
        """The API's shape (`notes/<id>/translation/` and the like): `text`,
        `source_language`, `target_language`, `provider`, `kind`, `cached`; `detail` when
        unavailable. The state decides the status code (200, 202 pending, 503)."""
        data = {
            "text": self.text,
            "source_language": self.source_language,
            "target_language": self.target_language,
            "provider": self.provider,
            "kind": self.kind,
            "cached": self.cached,
        }
        if self.is_unavailable:
            data["detail"] = self.detail
        return data


@dataclass(frozen=True)
class TranslationRequest:
    """One text to translate in a batch: its source language (None or "mixed": the provider
    detects it), whether it is private, and the note or comment it is (with `part` naming
    which of its texts, e.g. a note's "title" or "body"), for community translations."""

    text: str
    source: str | None = None
    private: bool = False
    content: models.Model | None = None
    part: str = ""


class QuotaExceeded(Exception):
    pass


# --- Helpers ----------------------------------------------------------------------------------
def text_normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def text_hash(text: str) -> str:
    """The cache's key for a text: SHA-256 of its normalised form."""
    return hashlib.sha256(text_normalize(text).encode("utf-8")).hexdigest()


def _source_code(source: str | None) -> str:
    """The source language as stored with a cached translation; "" lets the provider detect
    it (mixed or unknown text)."""
    if not source or source == "mixed":
        return ""
    return source


def _unavailable(target: str, source: str | None, reason: str) -> TranslationResult:
    return TranslationResult(
        state=State.UNAVAILABLE,
        target_language=target,
        source_language=source or None,
        reason=reason,
        detail=unavailable_detail(reason),
    )


def unavailable_detail(reason: str) -> str:
    """The sentence a reader sees for an unavailable translation."""
    details = {
        Reason.NOT_CONFIGURED: _("Machine translation is not set up on this site."),
        Reason.PRIVATE: _(
            "This text is not public, and this site's translation service is run by a third "
            "party, so it is not sent there."
        ),
        Reason.QUOTA: _("You have translated a lot in the last hour. Please try again later."),
        Reason.FAILED: _("Translation unavailable. Please try again later."),
        Reason.EMPTY: _("There is nothing to translate."),
        Reason.SAME_LANGUAGE: _("This text is already in that language."),
        Reason.NOT_ASKED: _("This translation has not been asked for yet."),
    }
    return str(details.get(reason, details[Reason.FAILED]))


def _content_key(content: models.Model) -> tuple[int, int]:
    content_type = ContentType.objects.get_for_model(content)
    return content_type.pk, int(content.pk)


def community_translation_changed_send(*, content_type_id: int, object_id: int) -> None:
    """Tell higher apps, after commit, that the community translations of one note or comment
    changed (`events.community_translation_changed`); also for writers outside these services
    (the admin's change form)."""
    send_on_commit(
        events.community_translation_changed,
        sender=CommunityTranslation,
        content_type_id=content_type_id,
        object_id=object_id,
    )


# --- Quota ------------------------------------------------------------------------------------
def _quota_key(who: str) -> str:
    hour = timezone.now().strftime("%Y%m%d%H")
    return f"translations:quota:{who}:{hour}"


def _quota_who(user: User | None, visitor: str | None) -> str | None:
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"visitor:{visitor}" if visitor else None


def translation_quota_use(
    *, user: User | None, characters: int, visitor: str | None = None
) -> None:
    """Count `characters` sent to the provider for `user` this hour; QuotaExceeded (nothing
    counted) when that would pass TRANSLATION_QUOTA_CHARACTERS_PER_HOUR. A visitor (no user)
    is counted by `visitor` (e.g. the client address) when the caller gives one, else not.

    The counter lives in the cache (Redis on the full stack), one key per person and hour."""
    limit = int(settings.TRANSLATION_QUOTA_CHARACTERS_PER_HOUR)
    who = _quota_who(user, visitor)
    if who is None or limit <= 0 or characters <= 0:
        return
    key = _quota_key(who)
    cache.add(key, 0, timeout=3600)
    try:
        used = cache.incr(key, characters)
    except ValueError:  # expired between add and incr
        cache.set(key, characters, timeout=3600)
        used = characters
    if used > limit:
        cache.decr(key, characters)
        raise QuotaExceeded


def translation_quota_left(*, user: User) -> int:
    limit = int(settings.TRANSLATION_QUOTA_CHARACTERS_PER_HOUR)
    return max(0, limit - int(cache.get(_quota_key(f"user:{user.pk}")) or 0))


# --- Reading translations ---------------------------------------------------------------------
def translation_get(
    *,
    text: str,
    source: str | None,
    target: str,
    private: bool = False,
    user: User | None = None,
    content: models.Model | None = None,
    part: str = "",
    visitor: str | None = None,
) -> TranslationResult:
    """`text` in `target` for `user` (see the module docstring for the steps). `source` is
    the text's language (None or "mixed": the provider detects it); `private` marks text that
    is not public; `content` is the note or comment (`part`: which of its texts), whose
    community translation wins; `visitor` counts a signed-out reader's quota (their address)."""
    request = TranslationRequest(
        text=text, source=source, private=private, content=content, part=part
    )
    return translations_get_many(requests=[request], target=target, user=user, visitor=visitor)[0]


def translations_get_many(
    *,
    requests: Sequence[TranslationRequest],
    target: str,
    user: User | None = None,
    visitor: str | None = None,
    served: bool = True,
    poll: bool = False,
) -> list[TranslationResult]:
    """Many texts into `target` at once (a thread), in the order given: one query per step,
    one task and one provider call per batch for every text not cached. Each text's result is
    as `translation_get`'s. `served`: the results go to a reader, and are counted for the
    dashboard (False for the site's own reading: screening, the moderators' preview).

    `poll`: asking again how translations already asked for are going (the page's polling of
    a pending one, `rednote.throttling.is_poll`): only reads — a text with no translation
    under way, or a failed one that could be tried again, is `Reason.NOT_ASKED`, with no quota
    spent and nothing queued (a pending one whose message seems lost is still queued again: it
    was paid for when it was asked)."""
    results = _translations_get_many(
        requests=requests, target=target, user=user, visitor=visitor, poll=poll
    )
    if served:
        kinds = Counter(result.kind for result in results if result.is_done)
        for kind in (Kind.MACHINE, Kind.COMMUNITY):
            usage_count(kind, kinds[kind])
    return results


def _translations_get_many(
    *,
    requests: Sequence[TranslationRequest],
    target: str,
    user: User | None,
    visitor: str | None,
    poll: bool = False,
) -> list[TranslationResult]:
    results: list[TranslationResult | None] = [None] * len(requests)
    normalized = [text_normalize(request.text) for request in requests]

    open_indexes = []
    for index, (request, text) in enumerate(zip(requests, normalized, strict=True)):
        if not text:
            results[index] = _unavailable(target, request.source, Reason.EMPTY)
        elif request.source and request.source == target:
            results[index] = _unavailable(target, request.source, Reason.SAME_LANGUAGE)
        else:
            open_indexes.append(index)

    for index, result in _community_results(
        [(i, requests[i], normalized[i]) for i in open_indexes], target
    ).items():
        results[index] = result
    open_indexes = [i for i in open_indexes if results[i] is None]

    provider = _provider()
    if provider is None:
        for index in open_indexes:
            results[index] = _unavailable(target, requests[index].source, Reason.NOT_CONFIGURED)
        return _finished(results)
    if not settings.TRANSLATION_PROVIDER_SELF_HOSTED:
        for index in open_indexes:
            if requests[index].private:
                results[index] = _unavailable(target, requests[index].source, Reason.PRIVATE)
        open_indexes = [i for i in open_indexes if results[i] is None]

    keys = {
        index: (text_hash(normalized[index]), _source_code(requests[index].source))
        for index in open_indexes
    }
    rows = _cached_rows(set(keys.values()), target, provider.key)
    missing: dict[tuple[str, str], str] = {}  # key → text, each text once
    requeue: list[int] = []
    now = timezone.now()
    for index in open_indexes:
        row = rows.get(keys[index])
        if row is None or (
            row.status == MachineTranslationStatus.FAILED
            and now - row.updated_at > FAILED_RETRY_AFTER
        ):
            missing[keys[index]] = normalized[index]
        elif row.status == MachineTranslationStatus.PENDING and (
            now - row.updated_at > PENDING_STALE_AFTER
        ):
            requeue.append(row.pk)

    if missing and poll:
        for index in open_indexes:
            if keys[index] in missing:
                results[index] = _unavailable(target, requests[index].source, Reason.NOT_ASKED)
        missing = {}
    if missing:
        try:
            translation_quota_use(
                user=user, visitor=visitor, characters=sum(map(len, missing.values()))
            )
        except QuotaExceeded:
            for index in open_indexes:
                if keys[index] in missing:
                    results[index] = _unavailable(target, requests[index].source, Reason.QUOTA)
            missing = {}
    if requeue:  # its message seems lost; the next reader waits for this one
        MachineTranslation.objects.filter(pk__in=requeue).update(updated_at=now)
    if missing or requeue:
        queued = _pending_rows_create(missing, target, provider.key)
        enqueue_on_commit(TRANSLATE_TASK, ids=sorted({*queued, *requeue}))
        # With eager tasks (the quick start) the task has run by now: read its answers.
        rows = _cached_rows(set(keys.values()), target, provider.key)

    for index in open_indexes:
        if results[index] is None:
            cached = keys[index] not in missing
            results[index] = _machine_result(
                rows.get(keys[index]), provider, target, requests[index].source, cached
            )
    return _finished(results)


def _provider() -> TranslationProvider | None:
    """The configured provider; None, with an error logged, when its settings are incomplete
    (the system check `translations.E001` says which): readers then see "not set up", never
    a 500."""
    try:
        return provider_get()
    except ValueError:
        logger.exception("machine translation is misconfigured")
        return None


def _finished(results: list[TranslationResult | None]) -> list[TranslationResult]:
    done = [result for result in results if result is not None]
    if len(done) != len(results):  # every step above answers each text it leaves
        raise RuntimeError("a translation request was left without a result")
    return done


def translations_cached(
    *, texts: Sequence[tuple[str, str | None]], target: str
) -> list[str | None]:
    """The machine translation into `target` of each (text, source language) already in the
    cache, else None: one query, no provider call, nothing queued, no quota counted (for the
    site's own reading, e.g. keyword screening inside a write). None for every text without a
    configured provider."""
    provider = _provider()
    if provider is None or not texts:
        return [None] * len(texts)
    keys = [(text_hash(text_normalize(text)), _source_code(source)) for text, source in texts]
    rows = _cached_rows(set(keys), target, provider.key)
    answers: list[str | None] = []
    for key in keys:
        row = rows.get(key)
        done = row is not None and row.status == MachineTranslationStatus.DONE
        answers.append(str(row.translation) if done and row is not None else None)
    return answers


def _cached_rows(
    keys: set[tuple[str, str]], target: str, provider_key: str
) -> dict[tuple[str, str], MachineTranslation]:
    if not keys:
        return {}
    rows = MachineTranslation.objects.filter(
        text_hash__in={text_hash for text_hash, _ in keys},
        target_language=target,
        provider=provider_key,
    ).only("pk", "text_hash", "source_language", "status", "translation", "updated_at", "provider")
    found = {(row.text_hash, row.source_language): row for row in rows}
    return {key: found[key] for key in keys if key in found}


def _pending_rows_create(missing: dict[tuple[str, str], str], target: str, provider_key: str):
    """A pending row for each missing text (a failed one waiting long enough becomes pending
    again); their ids. Another reader asking at the same time shares the rows."""
    now = timezone.now()
    MachineTranslation.objects.bulk_create(
        [
            MachineTranslation(
                text_hash=key[0],
                source_language=key[1],
                target_language=target,
                provider=provider_key,
                pending_text=text,
                created_at=now,
                updated_at=now,
            )
            for key, text in missing.items()
        ],
        ignore_conflicts=True,
    )
    ids = []
    rows = _cached_rows(set(missing), target, provider_key)
    for key, row in rows.items():
        if row.status == MachineTranslationStatus.FAILED:
            MachineTranslation.objects.filter(
                pk=row.pk, status=MachineTranslationStatus.FAILED
            ).update(
                status=MachineTranslationStatus.PENDING,
                pending_text=missing[key],
                failure_reason="",
                attempts=0,
                updated_at=now,
            )
        ids.append(row.pk)
    return ids


def _machine_result(
    row: MachineTranslation | None,
    provider: TranslationProvider,
    target: str,
    source: str | None,
    cached: bool,
) -> TranslationResult:
    if row is None or row.status == MachineTranslationStatus.PENDING:
        return TranslationResult(
            state=State.PENDING,
            target_language=target,
            source_language=source or None,
            provider=provider.display_name,
        )
    if row.status == MachineTranslationStatus.FAILED:
        return _unavailable(target, source, Reason.FAILED)
    return TranslationResult(
        state=State.DONE,
        target_language=target,
        source_language=source or None,
        text=str(row.translation),
        provider=provider.display_name,
        kind=Kind.MACHINE,
        cached=cached,
    )


# --- Making translations (the translations queue) -----------------------------------------------
@dataclass
class RetryPlan:
    """What `machine_translations_make` could not do yet: the rows to try again and how long
    the provider asked to wait (None: the usual backoff)."""

    ids: list[int] = field(default_factory=list)
    retry_after: float | None = None

    def countdown(self, retries: int) -> float:
        """Seconds before the next try: what a 429 asked, else doubling from
        TRANSLATION_RETRY_BASE_SECONDS; at most MAX_RETRY_WAIT_SECONDS."""
        if self.retry_after is not None:
            wait = self.retry_after
        else:
            wait = float(settings.TRANSLATION_RETRY_BASE_SECONDS) * 2**retries
        return min(wait, MAX_RETRY_WAIT_SECONDS)


def machine_translations_make(*, ids: Iterable[int], final: bool = False) -> RetryPlan:
    """Translate the pending rows `ids` with the configured provider: one call per batch of
    rows with the same languages (chunked by what the provider takes). Translations are
    stored (and the waiting text dropped); refusals and lasting errors mark rows failed; a
    failure worth another try is returned in the plan, unless `final` (the last try), when
    those rows are marked failed too. Rows no longer pending are skipped (another worker, or
    a redelivered message, got there first)."""
    rows = list(
        MachineTranslation.objects.filter(
            pk__in=list(ids), status=MachineTranslationStatus.PENDING
        ).order_by("pk")
    )
    plan = RetryPlan()
    if not rows:
        return plan
    provider = _provider()
    groups: dict[tuple[str, str], list[MachineTranslation]] = defaultdict(list)
    for row in rows:
        if provider is None or row.provider != provider.key:
            _rows_fail([row], "The translation provider was changed or turned off.")
            continue
        groups[(row.source_language, row.target_language)].append(row)
    for (source, target), group in groups.items():
        for batch in _batches(group, provider):
            _batch_translate(batch, provider, source, target, plan, final)
    return plan


def _batches(rows: list[MachineTranslation], provider) -> Iterable[list[MachineTranslation]]:
    batch: list[MachineTranslation] = []
    size = 0
    for row in rows:
        length = len(row.pending_text)
        if batch and (len(batch) >= provider.max_batch or size + length > provider.max_batch_chars):
            yield batch
            batch, size = [], 0
        batch.append(row)
        size += length
    if batch:
        yield batch


def _batch_translate(batch, provider, source: str, target: str, plan: RetryPlan, final: bool):
    MachineTranslation.objects.filter(pk__in=[row.pk for row in batch]).update(
        attempts=F("attempts") + 1
    )
    texts = [row.pending_text for row in batch]
    try:
        answers: list[str | None] = list(
            provider.translate(texts, source=source or None, target=target)
        )
    except ProviderRefused as exc:
        usage_count(UsageKind.PROVIDER_ERROR)
        logger.warning("translation refused by %s: %s", provider.key, exc)
        answers = list(exc.translations or [None] * len(batch))
        _rows_store(batch, answers, failure=str(exc))
        return
    except ProviderError as exc:
        usage_count(UsageKind.PROVIDER_ERROR)
        if exc.retryable and not final:
            logger.info("translation by %s will be retried: %s", provider.key, exc)
            plan.ids.extend(row.pk for row in batch)
            if exc.retry_after is not None:
                plan.retry_after = max(plan.retry_after or 0.0, exc.retry_after)
            return
        logger.warning("translation by %s failed: %s", provider.key, exc)
        _rows_fail(batch, str(exc))
        return
    _rows_store(batch, answers, failure="")


def _rows_store(batch, answers: list[str | None], *, failure: str) -> None:
    now = timezone.now()
    failed = []
    for row, answer in zip(batch, answers, strict=True):
        if answer is None:
            failed.append(row)
            continue
        MachineTranslation.objects.filter(
            pk=row.pk, status=MachineTranslationStatus.PENDING
        ).update(
            status=MachineTranslationStatus.DONE,
            translation=str(answer),
            pending_text="",
            failure_reason="",
            updated_at=now,
        )
    if failed:
        _rows_fail(failed, failure or "No translation in the provider's answer.")


def _rows_fail(rows, reason: str) -> None:
    MachineTranslation.objects.filter(
        pk__in=[row.pk for row in rows], status=MachineTranslationStatus.PENDING
    ).update(
        status=MachineTranslationStatus.FAILED,
        failure_reason=reason[:300],
        pending_text="",
        updated_at=timezone.now(),
    )


# --- Community translations -------------------------------------------------------------------
def _community_results(
    items: list[tuple[int, TranslationRequest, str]], target: str
) -> dict[int, TranslationResult]:
    """The community translations that replace the machine one, by request index: accepted by
    the content's author, else the most upvoted with enough votes; only of the text as it is
    now; never hidden ones. One query for the batch."""
    with_content = [(i, r, t) for i, r, t in items if r.content is not None]
    if not with_content:
        return {}
    keys = {
        index: (*_content_key(request.content), request.part, text_hash(text))
        for index, request, text in with_content
        if request.content is not None
    }
    by_type: dict[int, set[int]] = defaultdict(set)
    for content_type_id, object_id, _part, _hash in keys.values():
        by_type[content_type_id].add(object_id)
    condition = models.Q()
    for content_type_id, object_ids in by_type.items():
        condition |= models.Q(content_type_id=content_type_id, object_id__in=object_ids)
    votes = int(settings.COMMUNITY_TRANSLATION_ACCEPT_VOTES)
    candidates = (
        CommunityTranslation.objects.filter(condition, language=target, is_hidden=False)
        .filter(models.Q(is_accepted=True) | models.Q(upvote_count__gte=max(votes, 1)))
        .select_related("author")
        .order_by("-is_accepted", "-upvote_count", "created_at")
    )
    best: dict[tuple[int, int, str, str], CommunityTranslation] = {}
    for candidate in candidates:
        key = (
            candidate.content_type_id,
            candidate.object_id,
            candidate.part,
            candidate.source_hash,
        )
        best.setdefault(key, candidate)
    results = {}
    for index, request, _text in with_content:
        chosen = best.get(keys[index])
        if chosen is not None:
            results[index] = TranslationResult(
                state=State.DONE,
                target_language=target,
                source_language=request.source or None,
                text=str(chosen.text),
                provider=f"@{chosen.author.handle}",
                kind=Kind.COMMUNITY,
                cached=True,
                community_translation_id=chosen.pk,
            )
    return results


@transaction.atomic
def community_translation_suggest(
    *,
    user: User,
    content: models.Model,
    source_text: str,
    language: str,
    text: str,
    part: str = "",
) -> CommunityTranslation:
    """`user`'s translation of `content` (of its text `part`, whose current words are
    `source_text`) into `language`. Replaces the user's earlier suggestion for it, whose votes
    and acceptance go: they were for other words. The caller has checked that `user` may see
    `content`."""
    text = text_normalize(text)
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Write the translation.")]
    elif len(text) > COMMUNITY_TRANSLATION_MAX_LENGTH:
        errors["text"] = [
            _("At most {limit} characters.").format(limit=COMMUNITY_TRANSLATION_MAX_LENGTH)
        ]
    if language not in settings.CONTENT_LANGUAGES:
        errors["language"] = [_("Unknown language.")]
    if not text_normalize(source_text):
        errors["text"] = [_("There is nothing to translate.")]
    if errors:
        raise ValidationError(errors)
    content_type_id, object_id = _content_key(content)
    now = timezone.now()
    suggestion, created = CommunityTranslation.objects.select_for_update().get_or_create(
        content_type_id=content_type_id,
        object_id=object_id,
        part=part,
        language=language,
        author=user,
        defaults={"text": text, "source_hash": text_hash(source_text), "created_at": now},
    )
    source_hash = text_hash(source_text)
    if not created and (suggestion.text != text or suggestion.source_hash != source_hash):
        suggestion.votes.all().delete()
        suggestion.text = text
        suggestion.source_hash = source_hash
        suggestion.upvote_count = 0
        suggestion.is_accepted = False
        suggestion.updated_at = now
        suggestion.save()
    elif not created:
        return suggestion
    community_translation_changed_send(content_type_id=content_type_id, object_id=object_id)
    return suggestion


def community_translation_vote(*, user: User, suggestion: CommunityTranslation) -> bool:
    """Upvote `suggestion` (once per reader; not your own). True when the vote is new."""
    if suggestion.author_id == user.pk:
        raise ValidationError({"vote": [_("You cannot vote for your own translation.")]})
    with transaction.atomic():
        try:
            with transaction.atomic():
                CommunityTranslationVote.objects.create(translation=suggestion, user=user)
        except IntegrityError:
            return False
        CommunityTranslation.objects.filter(pk=suggestion.pk).update(
            upvote_count=F("upvote_count") + 1
        )
        _suggestion_changed(suggestion)
    return True


@transaction.atomic
def community_translation_unvote(*, user: User, suggestion: CommunityTranslation) -> bool:
    deleted, _counts = CommunityTranslationVote.objects.filter(
        translation=suggestion, user=user
    ).delete()
    if deleted:
        CommunityTranslation.objects.filter(pk=suggestion.pk, upvote_count__gt=0).update(
            upvote_count=F("upvote_count") - 1
        )
        _suggestion_changed(suggestion)
    return bool(deleted)


@transaction.atomic
def community_translation_accept(
    *, user: User, suggestion: CommunityTranslation, content_author_id: int
) -> CommunityTranslation:
    """The content's author (`content_author_id`, given by the caller who knows the content)
    accepts `suggestion`: it replaces the machine translation for every reader, and any other
    accepted one for the same content and language steps back."""
    if user.pk != content_author_id:
        raise PermissionDenied(_("Only the author can accept a translation."))
    stepped_back = (
        CommunityTranslation.objects.filter(
            content_type_id=suggestion.content_type_id,
            object_id=suggestion.object_id,
            part=suggestion.part,
            language=suggestion.language,
            is_accepted=True,
        )
        .exclude(pk=suggestion.pk)
        .update(is_accepted=False)
    )
    accepted = CommunityTranslation.objects.filter(pk=suggestion.pk, is_accepted=False).update(
        is_accepted=True
    )
    suggestion.is_accepted = True
    if stepped_back or accepted:
        _suggestion_changed(suggestion)
    return suggestion


def _suggestion_changed(suggestion: CommunityTranslation) -> None:
    community_translation_changed_send(
        content_type_id=suggestion.content_type_id, object_id=suggestion.object_id
    )


@transaction.atomic
def community_translations_hide(*, ids: Iterable[int], hidden: bool = True) -> int:
    """Moderation: hide (or show again) community translations; hidden ones are never used.
    One `community_translation_changed` per note or comment whose translations changed."""
    rows = CommunityTranslation.objects.filter(pk__in=list(ids)).exclude(is_hidden=hidden)
    targets = set(rows.values_list("content_type_id", "object_id"))
    count = rows.update(is_hidden=hidden)
    for content_type_id, object_id in sorted(targets):
        community_translation_changed_send(content_type_id=content_type_id, object_id=object_id)
    return count


# --- Feedback ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedbackOutcome:
    feedback: TranslationFeedback
    created: bool
    #: For "wrong language": the original's language detected again; the caller stores it on
    #: the note or comment (`Detection.stored`), since translations cannot write them.
    detection: Detection | None = None


@transaction.atomic
def translation_feedback_record(
    *,
    user: User,
    content: models.Model,
    kind: str,
    text: str,
    source: str | None,
    target: str = "",
    shown: TranslationResult | None = None,
    comment: str = "",
) -> FeedbackOutcome:
    """Record a reader's "bad translation" or "wrong language" report on `content` (whose
    text is `text`, taken to be in `source`, translated into `target` as `shown`), once per
    reader, content, language and kind; moderators see it in admin.

    A bad machine translation leaves the cache, so the next reader gets a new one (with an
    LLM, likely a different one; the reader's quota pays for it). A wrong language is detected
    again and returned for the caller to store."""
    if kind not in FeedbackKind.values:
        raise ValidationError(
            {
                "kind": [
                    _("Choose one of: {choices}.").format(choices=", ".join(FeedbackKind.values))
                ]
            }
        )
    comment = text_normalize(comment)
    if len(comment) > FEEDBACK_COMMENT_MAX_LENGTH:
        limit = _("At most {limit} characters.").format(limit=FEEDBACK_COMMENT_MAX_LENGTH)
        raise ValidationError({"comment": [limit]})
    content_type_id, object_id = _content_key(content)
    provider = _provider()
    machine = None
    if (
        kind == FeedbackKind.BAD_TRANSLATION
        and provider is not None
        and target
        and (shown is None or shown.kind == Kind.MACHINE)
    ):
        machine = MachineTranslation.objects.filter(
            text_hash=text_hash(text),
            source_language=_source_code(source),
            target_language=target,
            provider=provider.key,
        ).first()
    feedback, created = TranslationFeedback.objects.get_or_create(
        reporter=user,
        content_type_id=content_type_id,
        object_id=object_id,
        language=target,
        kind=kind,
        defaults={
            "detected_language": source or "",
            "provider": (shown.provider if shown else "")[:32],
            "machine_translation": machine,
            "community_translation_id": shown.community_translation_id if shown else None,
            "translation_text": (shown.text if shown else "")
            or (machine.translation if machine else ""),
            "comment": comment,
        },
    )
    detection = None
    if created and machine is not None and machine.status == MachineTranslationStatus.DONE:
        # Out of the cache (the report keeps its text): the next reader gets a new one.
        MachineTranslation.objects.filter(pk=machine.pk).update(
            status=MachineTranslationStatus.FAILED,
            failure_reason="Reported as a bad translation.",
            updated_at=timezone.now() - FAILED_RETRY_AFTER - timedelta(seconds=1),
        )
    if kind == FeedbackKind.WRONG_LANGUAGE:
        detection = language_detect(text)
    return FeedbackOutcome(feedback=feedback, created=created, detection=detection)
