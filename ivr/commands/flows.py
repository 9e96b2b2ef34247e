"""`python -m ivr flows` (not yet built)."""

import click


@click.command()
def flows() -> None:
    """Not yet built."""
    raise click.ClickException("flows: not yet built")
