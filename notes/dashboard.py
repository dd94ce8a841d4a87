"""The community dashboard's numbers: is the exchange happening?

Per day over a window: notes, comments and new people by language; the share of comment
threads that cross languages; translations served (machine, community) and provider errors;
reports received, how many are open and how long a decision takes. Each series is one
grouped query (nine in all, whatever the window), drawn as SVG by `rednote.charts`.

It lives in notes, the lowest layer that sees notes, comments, people, translations and
reports together.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Sum
from django.db.models.expressions import Case, When
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from moderation.models import Report, ReportStatus
from rednote import charts
from rednote.languages import LANGUAGE_NAMES
from translations.models import UsageKind
from translations.usage import usage_by_day

from .models import Comment, Note, NoteStatus

WINDOWS = (7, 30, 90)
DEFAULT_WINDOW = 30


@dataclass(frozen=True)
class Dashboard:
    days: list[date]
    charts: list[charts.Chart]
    open_reports: int
    open_targets: int
    median_decision_hours: float | None
    decisions: int
    crossing_share: float | None  # over the whole window, 0–100


def _day_range(window: int, today: date) -> list[date]:
    return [today - timedelta(days=back) for back in range(window - 1, -1, -1)]


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _language_label(code: str) -> str:
    if not code:
        return pgettext("language", "Unknown")
    return str(LANGUAGE_NAMES.get(code, code))


def _by_language(rows, days: list[date]) -> list[charts.Series]:
    """Rows of (day, language, n) as one series per language: the content languages first,
    in their configured order, then any other code, then unknown."""
    values: dict[str, dict[date, float]] = {}
    for row in rows:
        values.setdefault(row["lang"] or "", {})[row["day"]] = float(row["n"])
    order = [code for code in settings.CONTENT_LANGUAGES if code in values]
    order += sorted(code for code in values if code and code not in order)
    if "" in values:
        order.append("")
    return [charts.Series(_language_label(code), values[code]) for code in order]


def _per_day(queryset, field: str, start: date, group: str):
    """Rows of {day, `group`, n}: how many of `queryset` per day of `field` since `start`."""
    return (
        queryset.filter(**{f"{field}__gte": _start(start)})
        .annotate(day=TruncDate(field))
        .values("day", group)
        .annotate(n=Count("pk"))
        .order_by()
    )


def crossing_threads(start: date):
    """Per day, top-level comments (each opens a thread) and how many of those threads cross
    languages: the comment is in another language than its note, or a reply is in another
    language than the comment. Unknown languages cross nothing."""
    other_reply = Comment.objects.filter(parent=OuterRef("pk")).exclude(language_main="")
    other_reply = other_reply.exclude(language_main=OuterRef("language_main"))
    crosses = (
        ~Q(language_main="")
        & ~Q(note__language_main="")
        & ~Q(language_main=F("note__language_main"))
    ) | (~Q(language_main="") & Exists(other_reply))
    return (
        Comment.objects.filter(parent__isnull=True, is_hidden=False, created_at__gte=_start(start))
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            total=Count("pk"),
            crossing=Sum(Case(When(crosses, then=1), default=0, output_field=IntegerField())),
        )
        .order_by()
    )


def dashboard_get(*, window: int = DEFAULT_WINDOW, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    days = _day_range(window, today)
    start = days[0]

    notes = _per_day(
        Note.objects.filter(status=NoteStatus.PUBLISHED, is_hidden=False).annotate(
            lang=F("language_main")
        ),
        "published_at",
        start,
        "lang",
    )
    comments = _per_day(
        Comment.objects.filter(is_hidden=False).annotate(lang=F("language_main")),
        "created_at",
        start,
        "lang",
    )
    # A newcomer's language: the first they said they speak.
    people = _per_day(User.objects.annotate(lang=KT("languages__0")), "date_joined", start, "lang")

    threads = list(crossing_threads(start))
    share = {
        row["day"]: round(100 * (row["crossing"] or 0) / row["total"], 1)
        for row in threads
        if row["total"]
    }
    thread_total = sum(row["total"] for row in threads)
    crossing_share = (
        round(100 * sum(row["crossing"] or 0 for row in threads) / thread_total, 1)
        if thread_total
        else None
    )

    usage = usage_by_day(start=start, end=today)
    machine = {d: float(n) for d, n in usage.get(UsageKind.MACHINE, {}).items()}
    community = {d: float(n) for d, n in usage.get(UsageKind.COMMUNITY, {}).items()}
    errors = {d: float(n) for d, n in usage.get(UsageKind.PROVIDER_ERROR, {}).items()}

    report_rows = _per_day(Report.objects.all(), "created_at", start, "status")
    by_status: dict[str, dict[date, float]] = {}
    for row in report_rows:
        by_status.setdefault(row["status"], {})[row["day"]] = float(row["n"])
    open_reports = Report.objects.filter(status=ReportStatus.OPEN)
    open_count = open_reports.count()
    open_targets = open_reports.values("target_type", "target_id").distinct().count()
    # (day decided, hours it took) of each decision in the window.
    decided: list[tuple[date, float]] = [
        (timezone.localtime(done).date(), (done - created).total_seconds() / 3600)
        for created, done in Report.objects.filter(decided_at__gte=_start(start))
        .values_list("created_at", "decided_at")
        .order_by()
        if done is not None
    ]
    median_hours = round(median(h for _day, h in decided), 1) if decided else None
    decision_hours: dict[date, list[float]] = {}
    for day, taken in decided:
        decision_hours.setdefault(day, []).append(taken)

    def percent(value: float) -> str:
        return f"{value:.0f}%"

    def hours(value: float) -> str:
        return _("%(hours)s h") % {"hours": f"{value:,.1f}".rstrip("0").rstrip(".")}

    chart_list = [
        charts.stacked_bars(
            title=_("Notes per day, by language"),
            description=_("Published notes, by the language most of each is written in."),
            days=days,
            series=_by_language(notes, days),
        ),
        charts.stacked_bars(
            title=_("Comments per day, by language"),
            description=_("Comments and replies, by the language most of each is written in."),
            days=days,
            series=_by_language(comments, days),
        ),
        charts.stacked_bars(
            title=_("New people per day, by language"),
            description=_("Sign-ups, by the first language each said they speak."),
            days=days,
            series=_by_language(people, days),
        ),
        charts.lines(
            title=_("Threads that cross languages"),
            description=_(
                "Share of the day's new comment threads (a comment and its replies) written in "
                "another language than their note, or answered in another language."
            ),
            days=days,
            series=[charts.Series(_("Crossing threads"), share)],
            maximum=100,
            value_format=percent,
            summary=lambda _series: percent(crossing_share) if crossing_share is not None else "",
        ),
        charts.stacked_bars(
            title=_("Translations served per day"),
            description=_("Translations shown to readers: machine and community."),
            days=days,
            series=[
                charts.Series(_("Machine"), machine),
                charts.Series(pgettext("translation kind", "Community"), community),
            ],
        ),
        charts.stacked_bars(
            title=_("Translation provider errors per day"),
            description=_("Provider calls that failed or were refused (each retry counts)."),
            days=days,
            series=[charts.Series(_("Provider errors"), errors)],
        ),
        charts.stacked_bars(
            title=_("Reports received per day"),
            description=_("Reports by the day they were made, by where they stand now."),
            days=days,
            series=[
                charts.Series(str(ReportStatus(status).label), by_status.get(status, {}))
                for status in ReportStatus.values
            ],
        ),
        charts.lines(
            title=_("Median time to a decision"),
            description=_("Hours from a report to the moderators' decision, by day decided."),
            days=days,
            series=[
                charts.Series(
                    _("Median time to a decision"),
                    {d: round(median(v), 1) for d, v in decision_hours.items()},
                )
            ],
            value_format=hours,
            summary=lambda _series: hours(median_hours) if median_hours is not None else "",
        ),
    ]
    return Dashboard(
        days=days,
        charts=chart_list,
        open_reports=open_count,
        open_targets=open_targets,
        median_decision_hours=median_hours,
        decisions=len(decided),
        crossing_share=crossing_share,
    )
