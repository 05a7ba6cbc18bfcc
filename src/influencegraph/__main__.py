"""``python -m influencegraph`` runs the CLI."""

from influencegraph.cli import main

main()
