"""``python -m coderlhf_tui`` runs the command line."""

from coderlhf_tui.cli import main

raise SystemExit(main())
