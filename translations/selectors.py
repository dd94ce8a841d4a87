"""Reads for the community-translation UI (the later bilingual view)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet, Value

from .models import CommunityTranslation, CommunityTranslationVote


def community_translations_list(
    *, content: models.Model, language: str, viewer=None, part: str = ""
) -> QuerySet[CommunityTranslation]:
    """The visible community translations of `content` (its text `part`) into `language`,
    the accepted one first, then by upvotes and age, each with its translator and
    `voted` (whether `viewer` upvoted it), in one query. The caller has checked that the
    viewer may see `content`."""
    content_type = ContentType.objects.get_for_model(content)
    voted: Exists | Value
    if viewer is not None and viewer.is_authenticated:
        voted = Exists(
            CommunityTranslationVote.objects.filter(translation=OuterRef("pk"), user=viewer)
        )
    else:
        voted = Value(False)
    return (
        CommunityTranslation.objects.filter(
            content_type=content_type,
            object_id=content.pk,
            part=part,
            language=language,
            is_hidden=False,
        )
        .select_related("author")
        .annotate(voted=voted)
        .order_by("-is_accepted", "-upvote_count", "created_at")
    )
