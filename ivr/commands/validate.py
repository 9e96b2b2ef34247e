"""`python -m ivr validate` (not yet built)."""

import click


@click.command()
def validate() -> None:
    """Not yet built."""
    raise click.ClickException("validate: not yet built")
