"""The wheel carries everything the desk needs, and an installed wheel finds its shipped data.

Builds the wheel once, then installs it (no dependencies) into a fresh venv that borrows the
running environment's packages through a .pth line, so no download is needed. A plain path line
(not site.addsitedir) keeps this checkout's editable-install hook out: the import must come from
the wheel.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _shipped_files(folder: str) -> set[str]:
    """Files under a source folder that the wheel must carry (bytecode caches aside)."""
    base = ROOT / folder
    return {
        p.relative_to(base).as_posix()
        for p in base.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if importlib.util.find_spec("build") is None:
        pytest.skip("the `build` package is not installed (it is in the dev extra)")
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)]
    if importlib.util.find_spec("hatchling") is not None:
        cmd.insert(4, "--no-isolation")  # the backend is already here: build offline and faster
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"building the wheel failed:\n{done.stdout}\n{done.stderr}"
    (built,) = out.glob("*.whl")
    return built


def test_wheel_carries_data_screens_and_package_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "screens/__init__.py" in names
    missing = [f"hotline_tui/data/{f}" for f in _shipped_files("data") if f"hotline_tui/data/{f}" not in names]
    # Non-Python files (Textual .tcss, migration scripts, alembic config) are easy to lose in packaging.
    for package in ("hotline_tui", "screens"):
        missing += [f"{package}/{f}" for f in _shipped_files(package) if f"{package}/{f}" not in names]
    assert not missing, f"the wheel lacks: {sorted(missing)}"
    if (ROOT / "hotline_tui" / "store" / "migrations").is_dir():
        assert any(n.startswith("hotline_tui/store/migrations/") for n in names)


def test_installed_wheel_starts_and_finds_its_data(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip())
    # Dependencies come from the environment running the tests.
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "borrowed-deps.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, f"installing the wheel failed:\n{install.stdout}\n{install.stderr}"

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    run = dict(capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)  # cwd away from the checkout

    version = subprocess.run([str(bindir / "hotline"), "--version"], **run)
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("hotline ")

    store = tmp_path / "x.sqlite"
    located = subprocess.run([str(bindir / "hotline"), "--db", str(store), "locate", "--json"], **run)
    assert located.returncode == 0, located.stderr
    assert json.loads(located.stdout)["store"] == str(store)

    probe = (
        "import json, hotline_tui, screens\n"
        "from hotline_tui.resources import data_dir\n"
        "print(json.dumps({'package': hotline_tui.__file__, 'screens': screens.__file__, 'data': str(data_dir())}))\n"
    )
    found = subprocess.run([str(python), "-c", probe], **run)
    assert found.returncode == 0, found.stderr
    paths = {k: Path(v).resolve() for k, v in json.loads(found.stdout).items()}
    for what, path in paths.items():
        assert path.is_relative_to(site.resolve()), f"{what} resolved outside the new venv: {path}"
    assert paths["data"] == (site / "hotline_tui" / "data").resolve()
    assert (paths["data"] / "holidays.toml").is_file()
