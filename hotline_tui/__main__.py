from hotline_tui.cli import main

raise SystemExit(main())
