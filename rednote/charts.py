"""Charts as server-rendered SVG: the geometry of bar and line charts, computed here and drawn
by `templates/admin/dashboard/_chart.html` (no JavaScript, no inline style: colours are CSS
classes, `series-0`, `series-1`...).

A chart is plain data — rectangles, polylines, axis ticks, a legend — so it is tested as data
and the template only places it.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

WIDTH = 720
HEIGHT = 220
LEFT = 48  # room for the y-axis labels
RIGHT = 12
TOP = 12
BOTTOM = 28  # room for the x-axis labels
X_LABELS = 6  # about this many dates under the axis


@dataclass(frozen=True)
class Series:
    """One coloured series: its name and its value on each day (missing days are 0 for bars,
    gaps for lines)."""

    label: str
    values: dict[date, float]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    title: str


@dataclass(frozen=True)
class Line:
    series: int
    # Runs of consecutive points ("x,y x,y ..."): a day without a value breaks the line.
    segments: list[str]
    dots: list[tuple[float, float, str]]


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class LegendEntry:
    series: int
    label: str
    total: str


@dataclass
class Chart:
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    empty: bool = False

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return self.width - RIGHT

    @property
    def plot_top(self) -> int:
        return TOP

    @property
    def plot_bottom(self) -> int:
        return self.height - BOTTOM

    @property
    def centre(self) -> tuple[float, float]:
        """The middle of the plot (where "nothing yet" is written)."""
        return (self.plot_left + self.plot_right) / 2, (self.plot_top + self.plot_bottom) / 2


def nice_ceiling(value: float, *, integer: bool = False) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `value` (2.5 left out for `integer`)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    for step in steps:
        if step * magnitude >= value:
            return max(step * magnitude, 1.0) if integer else step * magnitude
    return 10 * magnitude  # pragma: no cover — the loop ends at 10


def axis_top(value: float, *, integer: bool = True) -> float:
    """An axis maximum with four even steps of a round size above 0: for counts, whole
    numbers (0, 1, 2, 3, 4 rather than 0, 1.2, 2.5...)."""
    return 4 * nice_ceiling(value / 4, integer=integer)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _x_ticks(days: Sequence[date], centre: Callable[[int], float]) -> list[Tick]:
    every = max(1, math.ceil(len(days) / X_LABELS))
    return [
        Tick(centre(index), day.strftime("%m-%d"))
        for index, day in enumerate(days)
        if index % every == 0
    ]


def _y_ticks(top: float, y_of: Callable[[float], float], fmt: Callable[[float], str]):
    return [Tick(y_of(top * i / 4), fmt(top * i / 4)) for i in range(5)]


def stacked_bars(
    *,
    title: str,
    description: str,
    days: Sequence[date],
    series: Sequence[Series],
    value_format: Callable[[float], str] = _number,
) -> Chart:
    """One bar per day, its series stacked bottom-up in the order given."""
    chart = Chart(title=title, description=description)
    totals = [sum(s.values.get(day, 0) for s in series) for day in days]
    chart.empty = not any(totals)
    top = axis_top(max(totals, default=0))
    plot_height = chart.plot_bottom - chart.plot_top
    slot = (chart.plot_right - chart.plot_left) / max(len(days), 1)
    bar_width = max(slot * 0.72, 1.0)

    def y_of(value: float) -> float:
        return chart.plot_bottom - plot_height * value / top

    def centre(index: int) -> float:
        return chart.plot_left + slot * index + slot / 2

    for index, day in enumerate(days):
        base = 0.0
        for number, one in enumerate(series):
            value = one.values.get(day, 0)
            if not value:
                continue
            y_top = y_of(base + value)
            chart.bars.append(
                Bar(
                    x=round(centre(index) - bar_width / 2, 2),
                    y=round(y_top, 2),
                    width=round(bar_width, 2),
                    height=round(y_of(base) - y_top, 2),
                    series=number,
                    title=f"{day.isoformat()} · {one.label}: {value_format(value)}",
                )
            )
            base += value
    chart.y_ticks = _y_ticks(top, y_of, value_format)
    chart.x_ticks = _x_ticks(days, centre)
    chart.legend = [
        LegendEntry(number, one.label, value_format(sum(one.values.get(d, 0) for d in days)))
        for number, one in enumerate(series)
    ]
    return chart


def lines(
    *,
    title: str,
    description: str,
    days: Sequence[date],
    series: Sequence[Series],
    maximum: float | None = None,
    value_format: Callable[[float], str] = _number,
    summary: Callable[[Series], str] | None = None,
) -> Chart:
    """One line per series over the days; a day missing from a series breaks its line.
    `maximum` fixes the axis top (100 for a percentage), else it fits the values."""
    chart = Chart(title=title, description=description)
    values = [v for one in series for v in one.values.values()]
    chart.empty = not values
    top = maximum if maximum is not None else axis_top(max(values, default=0), integer=False)
    plot_height = chart.plot_bottom - chart.plot_top
    slot = (chart.plot_right - chart.plot_left) / max(len(days), 1)

    def y_of(value: float) -> float:
        return chart.plot_bottom - plot_height * min(value, top) / top

    def centre(index: int) -> float:
        return chart.plot_left + slot * index + slot / 2

    for number, one in enumerate(series):
        segments: list[str] = []
        run: list[str] = []
        dots = []
        for index, day in enumerate(days):
            if day not in one.values:
                if run:
                    segments.append(" ".join(run))
                run = []
                continue
            x, y = round(centre(index), 2), round(y_of(one.values[day]), 2)
            run.append(f"{x},{y}")
            dots.append((x, y, f"{day.isoformat()} · {one.label}: {value_format(one.values[day])}"))
        if run:
            segments.append(" ".join(run))
        chart.lines.append(Line(series=number, segments=segments, dots=dots))
    chart.y_ticks = _y_ticks(top, y_of, value_format)
    chart.x_ticks = _x_ticks(days, centre)
    chart.legend = [
        LegendEntry(number, one.label, summary(one) if summary else "")
        for number, one in enumerate(series)
    ]
    return chart
