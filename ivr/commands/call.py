"""`python -m ivr call` (not yet built)."""

import click


@click.command()
def call() -> None:
    """Not yet built."""
    raise click.ClickException("call: not yet built")
