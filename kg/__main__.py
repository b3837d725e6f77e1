"""`python -m kg`: the same command line as `kg`."""

from kg.cli import run_cli

run_cli()
