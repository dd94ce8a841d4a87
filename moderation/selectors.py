"""Reads for moderation: a person's own reports, and the desk's queue of open reports grouped
by target."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User

from .models import AuditLogEntry, Report, ReportStatus
from .targets import targets_get


def reports_of(*, reporter: User) -> QuerySet:
    """The reports `reporter` made, newest first (with the target's type)."""
    return (
        Report.objects.filter(reporter=reporter)
        .select_related("target_type")
        .order_by("-created_at", "-id")
    )


def _open_of_same_target() -> QuerySet:
    return Report.objects.filter(
        status=ReportStatus.OPEN,
        target_type=OuterRef("target_type"),
        target_id=OuterRef("target_id"),
    ).order_by()


def report_queue() -> QuerySet:
    """The desk's queue: one row per target with open reports — its oldest open report —
    annotated with `report_count` (open reports of the target) and `first_reported_at`,
    most reported first, then the longest waiting. Each row stands for its target."""
    same_target = _open_of_same_target()
    oldest = same_target.order_by("created_at", "id").values("pk")[:1]
    count = same_target.values("target_type").annotate(n=Count("pk")).values("n")
    return (
        Report.objects.filter(status=ReportStatus.OPEN, pk=Subquery(oldest))
        .annotate(report_count=Coalesce(Subquery(count), 0))
        .select_related("target_type", "target_owner")
        .order_by("-report_count", "created_at", "id")
    )


@dataclass
class QueueRowDetails:
    """What the queue shows of a target besides its oldest report: each reason with how many
    people gave it, and the target itself (None when it is gone)."""

    reasons: list[tuple[str, int]] = field(default_factory=list)
    target: models.Model | None = None


def report_queue_details(rows: list[Report]) -> dict[tuple[int, int], QueueRowDetails]:
    """For a page of queue rows: their reasons counted (one query) and their targets (a
    constant number of queries per target type), by (content type id, target id)."""
    keys = {(row.target_type_id, row.target_id) for row in rows}
    details = {key: QueueRowDetails() for key in keys}
    if not keys:
        return details
    by_type: dict[int, set[int]] = {}
    for type_id, target_id in keys:
        by_type.setdefault(type_id, set()).add(target_id)
    condition = models.Q()
    for type_id, ids in by_type.items():
        condition |= models.Q(target_type_id=type_id, target_id__in=ids)
    reasons = (
        Report.objects.filter(condition, status=ReportStatus.OPEN)
        .values("target_type_id", "target_id", "reason")
        .annotate(n=Count("pk"), first=Min("created_at"))
        .order_by("-n", "first")
    )
    for row in reasons:
        key = (row["target_type_id"], row["target_id"])
        if key in details:
            details[key].reasons.append((row["reason"], row["n"]))
    for type_id, ids in by_type.items():
        content_type = ContentType.objects.get_for_id(type_id)
        for target_id, target in targets_get(content_type, ids).items():
            details[(type_id, target_id)].target = target
    return details


def target_reports(*, content_type: ContentType, target_id: int) -> QuerySet:
    """Every report of a target, open ones first, newest first, with who filed it."""
    return (
        Report.objects.filter(target_type=content_type, target_id=target_id)
        .select_related("reporter", "decided_by")
        .order_by(
            models.Case(models.When(status=ReportStatus.OPEN, then=0), default=1),
            "-created_at",
            "-id",
        )
    )


def target_audit(*, content_type: ContentType, target_id: int) -> QuerySet:
    """The moderators' decisions on a target, newest first."""
    return AuditLogEntry.objects.filter(target_type=content_type, target_id=target_id).order_by(
        "-created_at", "-id"
    )
