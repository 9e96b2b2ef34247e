"""The statistics page, shown only when the statistics package is installed and switched on.

ivr.stats (issue: call statistics) lands separately; until it does, the page is not in the
navigation and /console/stats is 404.
"""

from __future__ import annotations

import importlib
import importlib.util

from ivr.settings import Settings


def stats_enabled(settings: Settings) -> bool:
    """Whether ivr.stats is importable and the settings' stats_url is not off."""
    url = getattr(settings, "stats_url", None)
    if not url or str(url).lower() == "off":
        return False
    return importlib.util.find_spec("ivr.stats") is not None


def render_stats(settings: Settings, start: str, end: str, min_count: int) -> str:
    """The statistics sections as HTML, from ivr.stats (imported only when enabled)."""
    report = importlib.import_module("ivr.stats.report")
    html = importlib.import_module("ivr.stats.html")
    # stats_url is the statistics work's settings field; getattr until it is merged.
    data = report.report_data(getattr(settings, "stats_url", None), start, end, min_count)
    return str(html.render_sections(data))
