"""Community translations: readers suggest and upvote translations of a note or comment, its
author accepts one, moderators hide them; the chosen one replaces the machine translation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from rednote.events import send_on_commit

from .. import events
from ..models import (
    COMMUNITY_TRANSLATION_MAX_LENGTH,
    CommunityTranslation,
    CommunityTranslationVote,
)
from .types import (
    Kind,
    State,
    TranslationRequest,
    TranslationResult,
    _content_key,
    text_hash,
    text_normalize,
)


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
