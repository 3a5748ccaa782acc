"""`hotline directory import` works on the standard install, and the desk still never imports pypinyin.

The standard install is requirements.lock (no dev extra): an import computes pinyin, so pypinyin must be a
runtime dependency pinned there. Starting the desk, looking up and routing use the precomputed index only.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_pypinyin_is_a_runtime_dependency_pinned_in_the_runtime_lock():
    with (ROOT / "pyproject.toml").open("rb") as fh:
        project = tomllib.load(fh)["project"]
    assert any(re.match(r"pypinyin\b", d) for d in project["dependencies"])
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert re.search(r"^pypinyin==[\d.]+ \\\n\s+--hash=sha256:", lock, re.M)


def test_starting_the_desk_looking_up_and_routing_do_not_import_pypinyin():
    code = (
        "import sys\n"
        "import hotline_tui.app, screens.lookup, screens.frame\n"
        "from hotline_tui.directory import load_directory\n"
        "from hotline_tui.routing import Router, load_taxonomy\n"
        "d = load_directory(); d.warm()\n"
        "assert d.answer('rsjldgxc')[0].code == 'D-RSJ-LDGX'\n"
        "assert d.answer('楼下烧烤店油烟太大')[0].route\n"
        "Router(load_taxonomy(), d).suggest_units('台东三路占道经营', place='370203021')\n"
        "print('pypinyin' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
