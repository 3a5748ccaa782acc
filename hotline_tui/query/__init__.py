"""The filter language of the supervisors' workbench and ``hotline query``: syntax, fields, compiling to SQL,
sort keys and presets. Core and headless: the screens and the command line share all of it."""
