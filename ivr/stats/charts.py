"""The report's charts: matplotlib figures as inline SVG text (no files, no pyplot state).

A hidden cell (None, fewer than min_count) is drawn as an empty bar labelled "<K", so the
chart never shows more than the table under it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

matplotlib.rcParams.update({
    "svg.fonttype": "none",   # text stays text: smaller, searchable, printable
    "svg.hashsalt": "ivr-stats",  # the same figures give the same file
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
})
BAR = "#2f6f9f"
PALE = "#b9d3e6"
WIDTH = 7.0
"""Inches: fits an A4 page with margins."""
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)


def bars(labels: Sequence[str], values: Sequence[int | None], min_count: int,
         title: str, pale: Sequence[int | None] | None = None) -> str:
    """Horizontal bars, largest first as given; `pale` draws a second, lighter series under."""
    height = 0.7 + 0.26 * max(len(labels), 1)
    fig, ax = _figure(height, labels)
    y = list(range(len(labels)))[::-1]
    if pale is not None:
        ax.barh(y, [v or 0 for v in pale], color=PALE, label="arrived")
    ax.barh(y, [v or 0 for v in values], color=BAR, height=0.5 if pale else 0.8,
            label="left here" if pale else None)
    _label_bars(ax, y, values, min_count)
    ax.set_yticks(y, labels)
    ax.set_title(title, loc="left")
    if pale is not None:
        ax.legend(loc="lower right", frameon=False)
    return _svg(fig)


def columns(labels: Sequence[str], values: Sequence[int | None], min_count: int,
            title: str) -> str:
    """Vertical bars in the given order (months)."""
    fig, ax = _figure(2.4, [str(max((v or 0 for v in values), default=0))], bottom=0.45)
    x = list(range(len(labels)))
    ax.bar(x, [v or 0 for v in values], color=BAR)
    for xi, v in zip(x, values, strict=True):
        ax.annotate(_text(v, min_count), (xi, v or 0), ha="center", va="bottom", fontsize=8,
                    xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(x, labels)
    ax.set_title(title, loc="left")
    return _svg(fig)


def grid(rows: Sequence[str], cols: Sequence[str], cells: dict[tuple[str, str], int | None],
         min_count: int, title: str) -> str:
    """A heat map of rows x columns with each cell's count written in it."""
    longest = max((len(c) for c in cols), default=0)
    fig, ax = _figure(0.5 + 0.08 * longest + 0.3 * max(len(rows), 1), rows,
                      bottom=0.15 + 0.065 * longest)
    values = [[cells.get((r, c)) or 0 for c in cols] for r in rows]
    ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    top = max((v for row in values for v in row), default=0) or 1
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            if (r, c) in cells:
                v = cells[r, c]
                dark = v is not None and v > top * 0.6
                ax.text(j, i, _text(v, min_count), ha="center", va="center", fontsize=8,
                        color="white" if dark else "black")
    ax.set_xticks(range(len(cols)), cols, rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.spines[:].set_visible(False)
    ax.set_title(title, loc="left")
    return _svg(fig)


def _figure(height: float, labels: Sequence[str], bottom: float = 0.3) -> tuple[Figure, Axes]:
    # Margins from the label lengths, not constrained layout: that lays every text out
    # twice and made the report three times slower (bench/bench_stats.py).
    left = 0.25 + 0.065 * max((len(label) for label in labels), default=2)
    fig = Figure(figsize=(WIDTH, height))
    fig.subplots_adjust(left=left / WIDTH, right=1 - 0.5 / WIDTH, top=1 - 0.3 / height,
                        bottom=bottom / height)
    return fig, fig.add_subplot()


def _label_bars(ax: Axes, y: Sequence[int], values: Sequence[int | None],
                min_count: int) -> None:
    for yi, v in zip(y, values, strict=True):
        ax.annotate(_text(v, min_count), (v or 0, yi), va="center", fontsize=8,
                    xytext=(3, 0), textcoords="offset points")


def _text(value: int | None, min_count: int) -> str:
    return f"<{min_count}" if value is None else str(value)


def _svg(fig: Figure) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    # Inline SVG needs no XML prologue or DOCTYPE; the <svg> element is the figure.
    return _PROLOGUE.sub("", out.getvalue(), count=1)
