"""`python -m ivr serve` (not yet built)."""

import click


@click.command()
def serve() -> None:
    """Not yet built."""
    raise click.ClickException("serve: not yet built")
