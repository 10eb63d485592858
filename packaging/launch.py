"""The bundle's entry point: the installed `intake` command (window, kiosk, route, directory, db)."""

from intake.cli import main

raise SystemExit(main())
