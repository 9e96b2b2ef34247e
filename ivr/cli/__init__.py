"""The `ivr` command line (also `python -m ivr`): a click group over the command modules."""

from __future__ import annotations

import sys
from importlib import metadata

import click

from ivr.cli import call
from ivr.cli import diagram
from ivr.cli import fallback
from ivr.cli import flows
from ivr.cli import menus
from ivr.cli import probe
from ivr.cli import prompts
from ivr.cli import serve
from ivr.cli import stats
from ivr.cli import translations
from ivr.cli import twilio
from ivr.cli import validate
from ivr.cli.shell import HelpGroup

DISTRIBUTION = "helpline-ivr"
"""The name pyproject.toml gives the package: its installed metadata holds the version."""


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    # Read only when asked: the metadata lookup would cost every command a few ms.
    if not value or ctx.resilient_parsing:
        return
    try:
        version = metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        version = "unknown (run from a source tree; install it with pip install .)"
    click.echo(f"ivr {version}")
    ctx.exit()


@click.group(cls=HelpGroup, context_settings={"help_option_names": ["-h", "--help"],
                                             "max_content_width": 100})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help="Say the installed version and exit.")
def cli() -> None:
    """Helpline IVR router: menus, webhook, prompts and call simulation."""


cli.add_command(validate.validate)
cli.add_command(menus.menus)
cli.add_command(serve.serve)
cli.add_command(fallback.fallback)
cli.add_command(prompts.prompts)
cli.add_command(call.call)
cli.add_command(probe.probe)
cli.add_command(flows.flows)
cli.add_command(diagram.diagram)
cli.add_command(stats.stats)
cli.add_command(translations.translations)
cli.add_command(twilio.twilio)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; exit 0 ok, 1 user-fixable failure, 2 usage, 3 internal error."""
    try:
        cli.main(args=argv, prog_name="ivr", standalone_mode=True)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except Exception as error:  # noqa: BLE001 - last resort: one line, not a traceback
        print(f"internal error: {type(error).__name__}: {error} (please report)", file=sys.stderr)
        return 3
    return 0
