"""The statistics page: the charts of ivr.stats for a chosen period, when counting is on.

ivr.stats.report and .html are imported only when the page is asked for (inside
render_stats, not at the top): they bring matplotlib, which no webhook worker needs.
"""

from __future__ import annotations

import datetime
from html import escape

from ivr.settings import Settings


def stats_enabled(settings: Settings) -> bool:
    """Whether counting is on (IVR_STATS_URL is not off)."""
    return settings.stats_url is not None


def period(start: str | None, end: str | None) -> tuple[datetime.date, datetime.date]:
    """The period asked for; a missing or mistyped day falls back to the last 30 days."""
    today = datetime.date.today()
    first, last = today - datetime.timedelta(days=30), today
    try:
        first = datetime.date.fromisoformat(start) if start else first
        last = datetime.date.fromisoformat(end) if end else last
    except ValueError:
        pass
    return (first, last) if first <= last else (last, first)


def render_stats(settings: Settings, start: datetime.date, end: datetime.date,
                 min_count: int) -> str:
    """The statistics sections as HTML, or one line saying why there are none."""
    from ivr.stats import html
    from ivr.stats import report
    from ivr.stats import store

    if settings.stats_url is None:
        return '<p class="notice">No statistics: counting is off (IVR_STATS_URL=off).</p>'
    try:
        data = report.report_data(settings.stats_url, start, end, min_count)
    except store.StoreUnavailable as error:
        # No call counted yet (no store file), or the database is down: say so, never a 500.
        return f'<p class="notice">No statistics to show: {escape(str(error))}</p>'
    return str(html.render_sections(data))
