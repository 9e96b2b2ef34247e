"""`ivr stats report`: the anonymous statistics of a period as JSON, CSV or one HTML file."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from ivr.cli import shell
from ivr.stats import report
from ivr.stats.store import StoreUnavailable

DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.group(cls=shell.HelpGroup)
def stats() -> None:
    """Anonymous call statistics (docs/statistics.md)."""


@stats.command("report")
@click.option("--from", "start", type=DAY, help="First day, YYYY-MM-DD (default: the last "
              "full half-year).")
@click.option("--to", "end", type=DAY, help="Last day, included, YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "html"]), default="json",
              show_default=True, help="html: one self-contained file with charts.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of stdout.")
@click.option("--min-count", type=click.IntRange(min=1), default=report.DEFAULT_MIN_COUNT,
              show_default=True, help="Counts below this are shown as \"<K\" (null in JSON).")
@click.option("--store", help="The store's SQLAlchemy URL (default: $IVR_STATS_URL, else "
              "stats.sqlite3 beside the menus).")
def report_command(start: datetime.datetime | None, end: datetime.datetime | None, fmt: str,
                   output: Path | None, min_count: int, store: str | None) -> None:
    """The figures of a period: calls, languages, needs by region, where callers leave,
    transfers and their outcomes."""
    first, last = _period(start, end)
    url = store or shell.settings().stats_url
    if url is None:
        raise click.ClickException("statistics are off (IVR_STATS_URL=off); give the store "
                                   "with --store URL or set IVR_STATS_URL")
    try:
        data = report.report_data(url, first, last, min_count)
    except StoreUnavailable as error:
        raise click.ClickException(str(error)) from None
    text = _render(data, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    shell.write_output(output, text.encode("utf-8"))
    click.echo(f"wrote {output} ({first} to {last})", err=True)


def _period(start: datetime.datetime | None, end: datetime.datetime | None
            ) -> tuple[datetime.date, datetime.date]:
    if start is None and end is None:
        return report.last_half_year(datetime.date.today())
    if start is None or end is None:
        raise click.UsageError("give both --from and --to, or neither (the last full "
                               "half-year)")
    if start > end:
        raise click.UsageError(f"--from {start:%Y-%m-%d} is after --to {end:%Y-%m-%d}")
    return start.date(), end.date()


def _render(data: dict[str, object], fmt: str) -> str:
    if fmt == "csv":
        return report.render_csv(data)
    if fmt == "html":
        from ivr.stats import html  # matplotlib only when a chart is drawn

        return html.render_report(data)
    return report.render_json_text(data)
