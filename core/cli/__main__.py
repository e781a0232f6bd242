"""``python -m core.cli`` runs the ``nianbao`` command."""

from core.cli import main

main()
