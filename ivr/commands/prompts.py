"""`python -m ivr prompts` (not yet built)."""

import click


@click.command()
def prompts() -> None:
    """Not yet built."""
    raise click.ClickException("prompts: not yet built")
