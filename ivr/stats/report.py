"""The report's figures: the stored counts of a period, with the small cells hidden.

`report_data` is the JSON form (the HTML report and the operator console draw from it):
a count from 1 to min_count - 1 becomes None ("<K" in CSV and HTML), so a rare language or
a small town in a given half-year cannot single a caller out; a total that would give one
away becomes "hidden" (it may be any size). Sums and differences are worked out from the
true counts first, then hidden the same way.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from ivr.core.callstate import LANGUAGE_MENU
from ivr.core.phone import TRANSFER_OUTCOMES
from ivr.stats import store
from ivr.stats.cells import HIDDEN
from ivr.stats.cells import readout_figures
from ivr.stats.events import TRANSFER_REASONS
from ivr.stats.events import Count

DEFAULT_MIN_COUNT = 5


def last_half_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last full half-year before `today`: January-June or July-December."""
    if today.month > 6:
        return datetime.date(today.year, 1, 1), datetime.date(today.year, 6, 30)
    return datetime.date(today.year - 1, 7, 1), datetime.date(today.year - 1, 12, 31)


def report_data(url: str, start: datetime.date, end: datetime.date, min_count: int
                ) -> dict[str, Any]:
    """The report of the store at `url` from `start` to `end` (StoreUnavailable if unread)."""
    path = store.sqlite_path(url)
    if path is not None and not path.is_file():
        raise store.StoreUnavailable(
            f"{path}: no statistics store there (the webhook creates it on start; "
            "check IVR_STATS_URL)")
    engine = store.create_store_engine(url)
    try:
        counted, by_day = store.totals(engine, start, end), store.calls_by_day(engine, start, end)
    except sa.exc.SQLAlchemyError as error:
        cause = error.orig if isinstance(error, sa.exc.DBAPIError) else error
        first = str(cause).strip().splitlines()
        raise store.StoreUnavailable(
            f"{engine.url.render_as_string(hide_password=True)}: cannot read the statistics "
            f"({first[0] if first else type(error).__name__})") from None
    finally:
        engine.dispose()
    return figures(counted, by_day, start, end, min_count)


def figures(counted: dict[Count, int], by_day: dict[datetime.date, int],
            start: datetime.date, end: datetime.date, min_count: int) -> dict[str, Any]:
    """The JSON form of these period totals."""
    def shown(n: int) -> int | None:
        return None if 0 < n < min_count else n

    def total(kind: str, **match: str) -> int:
        return sum(n for c, n in counted.items() if c.kind == kind
                   and all(getattr(c, k) == v for k, v in match.items()))

    def by(kind: str, field: str) -> dict[str, int]:
        sums: dict[str, int] = defaultdict(int)
        for c, n in counted.items():
            if c.kind == kind:
                sums[getattr(c, field)] += n
        return dict(sorted(sums.items(), key=lambda kv: (-kv[1], kv[0])))

    months: dict[str, int] = defaultdict(int)
    for day, n in by_day.items():
        months[day.strftime("%Y-%m")] += n
    by_month = {m: shown(n) for m, n in sorted(months.items())}
    calls = total("call")
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "min_count": min_count,
        # The months add up to the calls: with one month hidden the total would give it away.
        "calls": HIDDEN if shown(calls) is not None and None in by_month.values() else
        shown(calls),
        "calls_by_month": by_month,
        "languages": {lang: shown(n) for lang, n in by("language", "lang").items()},
        **readout_figures({(c.need, c.region, c.lang): n for c, n in counted.items()
                           if c.kind == "readout"}, shown),
        "emergency": shown(total("emergency")),
        "transfers": {r: shown(total("transfer", item=r)) for r in TRANSFER_REASONS},
        "transfer_outcomes": {o: shown(total("outcome", item=o)) for o in TRANSFER_OUTCOMES},
        "menus": _menus(counted, shown),
    }


def _menus(counted: dict[Count, int], shown: Any) -> list[dict[str, Any]]:
    """Per menu: arrivals, callers who left there (arrivals - departures), retries."""
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c, n in counted.items():
        if c.kind in ("arrive", "depart", "silence", "wrong_key"):
            per[c.menu][c.kind] += n
    rows = []
    order = sorted(per, key=lambda menu: (menu != LANGUAGE_MENU, -per[menu]["arrive"], menu))
    for menu in order:
        seen = per[menu]
        left = max(seen["arrive"] - seen["depart"], 0)
        share = round(100 * left / seen["arrive"], 1) if seen["arrive"] else None
        hidden = shown(left) is None or shown(seen["arrive"]) is None
        rows.append({"menu": menu, "arrivals": shown(seen["arrive"]), "left": shown(left),
                     "left_percent": None if hidden else share,
                     "silences": shown(seen["silence"]), "wrong_keys": shown(seen["wrong_key"])})
    return rows


def render_json_text(data: dict[str, Any]) -> str:
    """The report as indented JSON."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_csv(data: dict[str, Any]) -> str:
    """One row per figure cell: figure, name, need, region, language, count ("<K": a small
    count hidden; "hidden": a figure hidden to protect one)."""
    k = data["min_count"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["figure", "name", "need", "region", "language", "count"])

    def row(figure: str, name: str, value: Any, need: str = "", region: str = "",
            lang: str = "") -> None:
        writer.writerow([figure, name, need, region, lang, f"<{k}" if value is None else value])

    row("period", "from", data["period"]["from"])
    row("period", "to", data["period"]["to"])
    row("calls", "calls", data["calls"])
    for month, n in data["calls_by_month"].items():
        row("calls_by_month", month, n)
    for lang, n in data["languages"].items():
        row("languages", lang, n, lang=lang)
    for r in data["readouts"]:
        row("readouts", "", r["count"], r["need"], r["region"], r["language"])
    row("emergency", "emergency", data["emergency"])
    for section in ("transfers", "transfer_outcomes"):
        for name, n in data[section].items():
            row(section, name, n)
    for m in data["menus"]:
        for field in ("arrivals", "left", "silences", "wrong_keys"):
            row(f"menus.{field}", m["menu"], m[field])
    return out.getvalue()
