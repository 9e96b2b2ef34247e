"""`python -m ivr fallback` (not yet built)."""

import click


@click.command()
def fallback() -> None:
    """Not yet built."""
    raise click.ClickException("fallback: not yet built")
