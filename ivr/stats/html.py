"""The HTML report: one self-contained file (inline SVG charts, inline CSS, no scripts).

`render_sections` is the body alone (each figure's chart with its table under it), which
the operator console shows inside its own page; `render_report` wraps it into the file an
operator prints or attaches.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ivr.stats import charts
from ivr.stats.cells import HIDDEN
from ivr.stats.cells import sum_of

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
CSS = """
body { font: 10.5pt/1.4 sans-serif; color: #1a1a1a; max-width: 52em; margin: 2em auto; }
h1 { font-size: 16pt; margin-bottom: 0; } h2 { font-size: 12.5pt; margin-top: 1.8em; }
.period { color: #555; margin-top: .2em; }
.stats-figure { break-inside: avoid; }
.stats-figure svg { width: 100%; height: auto; }
table { border-collapse: collapse; margin: .4em 0 1em; }
th, td { border-bottom: 1px solid #ddd; padding: .15em .8em .15em 0; text-align: left; }
td.n, th.n { text-align: right; }
footer { margin-top: 2em; border-top: 1px solid #999; padding-top: .6em; color: #444; }
"""


def render_report(data: dict[str, Any]) -> str:
    """The whole report as one HTML document with nothing to fetch."""
    period = data["period"]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>Helpline statistics {period['from']} to {period['to']}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        "<h1>Helpline statistics</h1>\n"
        f"<p class=\"period\">{period['from']} to {period['to']} (days in UTC)</p>\n"
        f"{render_sections(data)}\n{_footer(data)}\n</body>\n</html>\n"
    )


def render_sections(data: dict[str, Any]) -> str:
    """The figures as an HTML fragment: per figure a heading, its chart (SVG) and its table."""
    k = data["min_count"]
    parts = [_totals(data), _calls_by_month(data, k), _languages(data, k),
             _needs(data, k), _leaving(data, k), _transfers(data, k)]
    return "\n".join(parts)


def _figure(title: str, chart: str, table: str) -> str:
    return (f"<section class=\"stats-figure\">\n<h2>{escape(title)}</h2>\n{chart}\n{table}\n"
            "</section>")


def _table(head: list[str], rows: list[list[Any]], k: int) -> str:
    def cell(tag: str, value: Any) -> str:
        numeric = value is None or value == HIDDEN or isinstance(value, int | float)
        text = f"&lt;{k}" if value is None else escape(str(value))
        attr = ' class="n"' if numeric else ""
        return f"<{tag}{attr}>{text}</{tag}>"

    right = ' class="n"'
    header = "".join(f"<th{right if i else ''}>{escape(h)}</th>" for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(cell("td", v) for v in row) + "</tr>\n" for row in rows)
    return f"<table>\n<tr>{header}</tr>\n{body}</table>"


def _name(identifier: str) -> str:
    return identifier.replace("_", " ") if identifier else "(none)"


def _totals(data: dict[str, Any]) -> str:
    k = data["min_count"]
    rows = [["Calls started", data["calls"]],
            ["Emergency instructions (the 112 key)", data["emergency"]],
            ["Transfers to the info line", sum_of(data["transfers"].values())],
            ["Languages chosen", len(data["languages"])]]
    return _figure("Totals", "", _table(["", "count"], rows, k))


def _calls_by_month(data: dict[str, Any], k: int) -> str:
    months = data["calls_by_month"]
    labels = [_month(m, len(months) > 12) for m in months]
    chart = charts.columns(labels, list(months.values()), k, "Calls started per month")
    return _figure("Calls per month", chart,
                   _table(["month", "calls"], [[m, n] for m, n in months.items()], k))


def _month(month: str, with_year: bool) -> str:
    year, number = month.split("-")
    name = MONTHS[int(number) - 1]
    return f"{name} {year[2:]}" if with_year else name


def _languages(data: dict[str, Any], k: int) -> str:
    langs = data["languages"]
    chart = charts.bars(list(langs), list(langs.values()), k, "Calls by language chosen")
    return _figure("Languages", chart,
                   _table(["language", "calls"], [[c, n] for c, n in langs.items()], k))


def _needs(data: dict[str, Any], k: int) -> str:
    cells = {(r["need"], r["region"]): r["count"] for r in data["needs_by_region"]}
    needs = list(data["needs"])
    regions = list(dict.fromkeys(r for _, r in cells))
    chart = charts.grid([_name(n) for n in needs], [_name(r) for r in regions],
                        {(_name(n), _name(r)): v for (n, r), v in cells.items()}, k,
                        "Services read out: need by region") if cells else ""
    by_region = _table(["need", *map(_name, regions), "all regions"],
                       [[_name(n), *(cells.get((n, r), 0) for r in regions), data["needs"][n]]
                        for n in needs], k)
    spoken = {(r["need"], r["language"]): r["count"] for r in data["needs_by_language"]}
    langs = list(data["languages"])
    by_lang = _table(["need", *langs],
                     [[_name(n), *(spoken.get((n, lang), 0) for lang in langs)] for n in needs], k)
    return _figure("Needs by region", chart, by_region + "\n<p>By language:</p>\n" + by_lang)


def _leaving(data: dict[str, Any], k: int) -> str:
    menus = data["menus"]
    chart = charts.bars([_name(m["menu"]) for m in menus], [m["left"] for m in menus], k,
                        "Where callers leave: arrived in each menu, and hung up there",
                        pale=[m["arrivals"] for m in menus]) if menus else ""
    rows = [[_name(m["menu"]), m["arrivals"], m["left"],
             "" if m["left_percent"] is None else f"{m['left_percent']} %",
             m["silences"], m["wrong_keys"]] for m in menus]
    return _figure("Where callers leave", chart, _table(
        ["menu", "arrived", "left here", "share", "silences", "wrong keys"], rows, k))


def _transfers(data: dict[str, Any], k: int) -> str:
    reasons = {"caller asked": data["transfers"]["caller_asked"],
               "retries ran out": data["transfers"]["retries_ran_out"],
               "internal error": data["transfers"]["error"]}
    outcomes = data["transfer_outcomes"]
    labels = [f"why: {r}" for r in reasons] + [f"outcome: {o}" for o in outcomes]
    values = list(reasons.values()) + list(outcomes.values())
    chart = charts.bars(labels, values, k, "Transfers to the info line, and how they ended")
    rows = [[label, v] for label, v in zip(labels, values, strict=True)]
    return _figure("Transfers and their outcomes", chart, _table(["", "count"], rows, k))


def _footer(data: dict[str, Any]) -> str:
    k = data["min_count"]
    return (
        "<footer>\n"
        f"<p>Counts from 1 to {k - 1} are shown as \"&lt;{k}\": a rare language, a small town "
        "or a rare need in a given period could otherwise point to one person. Callers are "
        f"promised anonymity. A figure shown as \"{HIDDEN}\" is hidden so that it cannot give "
        "one of those away (a total minus the counts shown beside it); it may be any size, "
        f"{k} or more too.</p>\n"
        "<p>Nothing here can identify a caller: the line counts what happened per day (a "
        "menu reached, an option taken, a service list read out), never a phone number, a "
        "call id or anything linking two steps of one call. \"Left here\" is the callers "
        "who arrived in a menu minus those who went on from it.</p>\n</footer>"
    )
