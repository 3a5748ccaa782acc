"""The standard exchange: tickets out as Open311 GeoReport v2 JSON (``open311.py``) and historical tickets in
from a documented CSV format (``csv_format.py`` reads and checks the file, ``csv_rows.py`` turns a row into a
ticket's events, ``csv_import.py`` writes them all or nothing). Headless: no Textual, no screens."""
