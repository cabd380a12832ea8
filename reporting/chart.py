"""The /chart picture: weekly collected vs closed bars with an overdue line, as PNG bytes."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: render straight to a PNG buffer

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from domain.stats import WeekPoint
from texts.i18n import plain

logger = logging.getLogger(__name__)

FONT_FILE = "NotoSansCJKsc-Regular-subset.otf"


def font_path() -> Path:
    """The shipped CJK font (Noto Sans CJK SC, GB2312 subset, SIL OFL; see reporting/fonts/)."""
    return Path(str(resources.files("reporting") / "fonts" / FONT_FILE))


@lru_cache(maxsize=4)
def _font(size: float) -> FontProperties:
    return FontProperties(fname=str(font_path()), size=size)


def chart_labels(lang: str, scope_label: str) -> dict[str, str]:
    """Every text the chart draws, so a test can check the font covers them."""
    return {
        "title": plain(lang, "chart-title", scope=scope_label),
        "x": plain(lang, "chart-x"),
        "y": plain(lang, "chart-y"),
        "collected": plain(lang, "chart-collected"),
        "closed": plain(lang, "chart-closed"),
        "overdue": plain(lang, "chart-overdue"),
    }


def bar_values(values: Sequence[float]) -> list[str]:
    """A bar's number above it, so the chart reads without the axis; empty weeks stay bare."""
    return [str(int(v)) if v else "" for v in values]


def render_trend(points: Sequence[WeekPoint], lang: str, scope_label: str) -> bytes:
    """Draw the trend with the bundled font on every label and return the PNG."""
    buffer = io.BytesIO()
    draw_trend(points, lang, scope_label).savefig(buffer, format="png")
    return buffer.getvalue()


def draw_trend(points: Sequence[WeekPoint], lang: str, scope_label: str) -> Figure:
    """The chart as a matplotlib Figure (a test can read its texts back)."""
    labels = chart_labels(lang, scope_label)
    fig = Figure(figsize=(9, 4.8), dpi=110)
    ax = fig.add_subplot()
    xs = list(range(len(points)))
    width = 0.38
    collected = ax.bar(
        [x - width / 2 for x in xs],
        [p.collected for p in points],
        width,
        label=labels["collected"],
        color="#5B9BD5",
    )
    closed = ax.bar(
        [x + width / 2 for x in xs],
        [p.closed for p in points],
        width,
        label=labels["closed"],
        color="#70AD47",
    )
    for bars in (collected, closed):
        ax.bar_label(
            bars,
            labels=bar_values([bar.get_height() for bar in bars]),
            padding=2,
            fontproperties=_font(8),
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
            zorder=4,  # readable where the overdue line crosses it
        )
    ax.plot(
        xs,
        [p.overdue for p in points],
        color="#E0403A",
        marker="o",
        linewidth=2,
        label=labels["overdue"],
    )
    ax.set_xticks(xs)
    ax.set_xticklabels([p.start.strftime("%m-%d") for p in points], fontproperties=_font(9))
    ax.set_title(labels["title"], fontproperties=_font(14), pad=30)
    ax.set_xlabel(labels["x"], fontproperties=_font(10))
    ax.set_ylabel(labels["y"], fontproperties=_font(10))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(y=0.15)  # room above the tallest bar for its number, under the legend
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    # above the plot, under the title: never on top of the bars or the overdue line
    ax.legend(prop=_font(10), loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    fig.tight_layout()
    return fig
