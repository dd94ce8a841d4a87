"""The community dashboard: its numbers, its charts, who may see it, and its query count."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from moderation.models import Report, ReportReason, ReportStatus
from notes.dashboard import crossing_threads, dashboard_get
from notes.models import Comment
from rednote import charts
from tests.factories import NoteFactory, UserFactory
from translations.models import TranslationUsage, UsageKind
from translations.usage import usage_by_day, usage_count, usage_flush

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def comment(note, author, language, *, parent=None, day=TODAY):
    return Comment.objects.create(
        note=note,
        author=author,
        parent=parent,
        body="…",
        language=language,
        language_main=language,
        created_at=at(day),
    )


@pytest.fixture
def exchange():
    """Two days of notes and comments in English and Chinese, with crossing threads."""
    mei = UserFactory(handle="mei", languages=["zh-Hans"], date_joined=at(TODAY))
    sam = UserFactory(handle="sam", languages=["en"], date_joined=at(TODAY))
    UserFactory(handle="nolang", languages=[], date_joined=at(TODAY - timedelta(days=1)))
    zh_note = NoteFactory(author=mei, language="zh-Hans", language_main="zh-Hans")
    zh_note.published_at = at(TODAY)
    en_note = NoteFactory(author=sam, language="en", language_main="en")
    en_note.published_at = at(TODAY - timedelta(days=1))
    mixed = NoteFactory(author=sam, language="mixed", language_main="en")
    mixed.published_at = at(TODAY)
    hidden = NoteFactory(author=sam, language="en", language_main="en", is_hidden=True)
    hidden.published_at = at(TODAY)
    for note in (zh_note, en_note, mixed, hidden):
        note.save(update_fields=["published_at"])
    NoteFactory(author=sam, processing=True, language="en", language_main="en")
    # Today: Sam answers Mei's note in English (crosses); Mei answers herself in Chinese,
    # then Sam replies in English under her comment (crosses); Mei comments on her own
    # note in Chinese with a Chinese reply (does not cross).
    comment(zh_note, sam, "en")
    top = comment(zh_note, mei, "zh-Hans")
    comment(zh_note, sam, "en", parent=top)
    plain = comment(zh_note, mei, "zh-Hans")
    comment(zh_note, mei, "zh-Hans", parent=plain)
    # Yesterday: one thread in an unknown language crosses nothing.
    comment(en_note, mei, "", day=TODAY - timedelta(days=1))
    return {"mei": mei, "sam": sam, "zh_note": zh_note, "en_note": en_note}


def test_threads_that_cross_languages_per_day(exchange):
    rows = {row["day"]: row for row in crossing_threads(TODAY - timedelta(days=6))}
    assert rows[TODAY]["total"] == 3 and rows[TODAY]["crossing"] == 2
    assert rows[TODAY - timedelta(days=1)]["total"] == 1
    assert rows[TODAY - timedelta(days=1)]["crossing"] == 0


def test_dashboard_counts_by_language(exchange):
    board = dashboard_get(window=7, today=TODAY)
    assert board.days[0] == TODAY - timedelta(days=6) and board.days[-1] == TODAY
    notes, comments, people, share = board.charts[:4]

    def totals(chart):
        return {entry.label: entry.total for entry in chart.legend}

    # Hidden and processing notes are not counted; the mixed note counts as English.
    assert totals(notes) == {"English": "2", "Simplified Chinese": "1"}
    assert totals(comments) == {"English": "2", "Simplified Chinese": "3", "Unknown": "1"}
    assert totals(people) == {"English": "1", "Simplified Chinese": "1", "Unknown": "1"}
    # 2 of the 4 threads in the window cross languages.
    assert board.crossing_share == 50.0
    assert totals(share) == {"Crossing threads": "50%"}
    assert share.lines[0].dots[-1][2].endswith("67%")  # today: 2 of 3


def test_reports_and_median_time_to_a_decision(exchange):
    mei, sam = exchange["mei"], exchange["sam"]
    note_type = ContentType.objects.get_for_model(exchange["en_note"])
    now = timezone.now()
    open_one = Report.objects.create(
        reporter=mei,
        target_type=note_type,
        target_id=exchange["en_note"].pk,
        reason=ReportReason.SPAM,
    )
    Report.objects.create(
        reporter=UserFactory(),
        target_type=note_type,
        target_id=exchange["en_note"].pk,
        reason=ReportReason.HATE,
    )
    for hours in (2, 4, 12):
        Report.objects.create(
            reporter=sam,
            target_type=note_type,
            target_id=exchange["zh_note"].pk,
            reason=ReportReason.OTHER,
            status=ReportStatus.DISMISSED,
            created_at=now - timedelta(hours=hours),
            decided_at=now,
        )
    board = dashboard_get(window=7)
    assert board.open_reports == 2 and board.open_targets == 1
    assert board.median_decision_hours == 4.0 and board.decisions == 3
    received = board.charts[6]
    assert {entry.label: entry.total for entry in received.legend} == {
        "Open": "2",
        "Dismissed": "3",
        "Acted on": "0",
    }
    assert open_one.status == ReportStatus.OPEN


def test_translations_served_are_counted_in_the_cache_then_flushed():
    today = timezone.localdate()
    usage_count(UsageKind.MACHINE, 3)
    usage_count(UsageKind.MACHINE)
    usage_count(UsageKind.COMMUNITY, 2)
    usage_count(UsageKind.PROVIDER_ERROR)
    usage_count(UsageKind.MACHINE, 0)
    expected = {
        UsageKind.MACHINE: {today: 4},
        UsageKind.COMMUNITY: {today: 2},
        UsageKind.PROVIDER_ERROR: {today: 1},
    }
    assert usage_by_day(start=today, end=today) == expected
    assert usage_flush() == 7
    assert TranslationUsage.objects.get(day=today, kind=UsageKind.MACHINE).count == 4
    # Read back from the rows alone now; a later count adds to them at the next flush.
    assert usage_by_day(start=today, end=today) == expected
    usage_count(UsageKind.MACHINE, 5)
    assert usage_by_day(start=today, end=today)[UsageKind.MACHINE] == {today: 9}
    assert usage_flush() == 5
    assert TranslationUsage.objects.get(day=today, kind=UsageKind.MACHINE).count == 9
    assert usage_flush() == 0


def test_the_page_draws_the_charts_in_a_constant_number_of_queries(
    exchange, client, django_assert_max_num_queries
):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.get(reverse("admin-dashboard"))  # warm the session and content types
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin-dashboard"), {"days": 90})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="chart"') == 8
    assert "<svg" in html and "<rect" in html and "<table" not in html.split("dashboard")[-1]
    assert "Last 90 days" in html
    # Linked from the admin index.
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin-dashboard") in index


def test_who_may_see_it(client):
    url = reverse("admin-dashboard")
    # Visitors and people who are not staff: the admin login.
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # Staff without the permission: 403.
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert reverse("admin-dashboard") not in client.get(reverse("admin:index")).content.decode()
    # With it: the page.
    staff.user_permissions.add(Permission.objects.get(codename="view_report"))
    staff = type(staff).objects.get(pk=staff.pk)
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert client.get(url, {"days": "nonsense"}).status_code == 200


def test_nice_ceiling():
    assert charts.nice_ceiling(0) == 1
    assert charts.nice_ceiling(7) == 10
    assert charts.nice_ceiling(11) == 20
    assert charts.nice_ceiling(23) == 25
    assert charts.nice_ceiling(0.3) == 0.5
    assert charts.nice_ceiling(0.3, integer=True) == 1
    assert charts.nice_ceiling(2.4, integer=True) == 5
    # Four whole steps for counts: 3 → 0..4, 30 → 0..40, 0 → 0..4.
    assert charts.axis_top(3) == 4 and charts.axis_top(30) == 40 and charts.axis_top(0) == 4
    assert charts.axis_top(0.9, integer=False) == 1


def test_stacked_bars_and_lines_geometry():
    days = [TODAY - timedelta(days=2), TODAY - timedelta(days=1), TODAY]
    chart = charts.stacked_bars(
        title="t",
        description="d",
        days=days,
        series=[
            charts.Series("a", {days[0]: 10, days[2]: 5}),
            charts.Series("b", {days[0]: 10}),
        ],
    )
    assert chart.y_ticks[-1].label == "20"
    first, second, third = chart.bars
    full = chart.plot_bottom - chart.plot_top
    # Day one: a and b stacked to the top of a 20-high axis; day three: a quarter of it.
    assert first.height == pytest.approx(full / 2) and second.height == pytest.approx(full / 2)
    assert second.y == pytest.approx(chart.plot_top)
    assert third.height == pytest.approx(full / 4)
    assert "2026-03-10 · a: 5" == third.title
    line = charts.lines(
        title="t",
        description="d",
        days=days,
        series=[charts.Series("s", {days[0]: 50.0, days[2]: 100.0})],
        maximum=100,
    )
    # The day without a value breaks the line in two.
    assert len(line.lines[0].segments) == 2 and len(line.lines[0].dots) == 2
    assert line.lines[0].dots[1][1] == pytest.approx(chart.plot_top)
    empty = charts.stacked_bars(title="t", description="d", days=days, series=[])
    assert empty.empty and not empty.bars
