#!/usr/bin/env python3
"""Set up .venv from the lock files, then open the desk or run the tests.

    python3 scripts/bootstrap.py desk [--demo N [--users]] [-- HOTLINE ARGS...]
    python3 scripts/bootstrap.py test [PYTEST ARGS...]

`desk` installs requirements.lock, `test` installs requirements-dev.lock; both then install this
project in editable mode. A stamp in .venv records what was installed, so a second run with
unchanged lock files and pyproject.toml starts at once, and a changed lock file is installed again.

Standard library only, and no syntax newer than Python 3.6: this file runs before anything is
installed, and an old Python should get a clear message rather than a SyntaxError.
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

MIN_PYTHON = (3, 11)
ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMPS = VENV / "bootstrap-stamps"


def _end_with_us():
    """In a child, before exec (Linux): SIGTERM when this script dies, however it dies (PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, int(signal.SIGTERM), 0, 0, 0)
    except Exception:  # no prctl: the child is simply not tied
        pass


def run(args, **options):
    """subprocess.run, with a child that does not outlive this script (pytest, pip, hotline demo) on Linux."""
    if sys.platform.startswith("linux"):
        options["preexec_fn"] = _end_with_us
    return subprocess.run(args, **options)


def say(message):
    print("bootstrap: " + message, file=sys.stderr, flush=True)


def die(message, code=1):
    say(message)
    sys.exit(code)


def exe(name):
    return BIN / (name + ".exe" if os.name == "nt" else name)


def check_python():
    if sys.version_info < MIN_PYTHON:
        die("Python %d.%d or newer is needed; this is %s (%s). Run this script with a newer python3."
            % (MIN_PYTHON + (sys.version.split()[0], sys.executable)))


def ensure_venv():
    python = exe("python")
    if python.exists():
        probe = run([str(python), "-c", "import sys; print(sys.version_info >= %r)" % (MIN_PYTHON,)],
                    stdout=subprocess.PIPE, universal_newlines=True)
        if probe.returncode == 0 and probe.stdout.strip() == "True":
            return
        die("%s exists but its Python does not run or is older than %d.%d; remove the folder and run this again"
            % ((VENV,) + MIN_PYTHON))
    try:
        import venv  # noqa: F401
        import ensurepip  # noqa: F401  (Debian and Ubuntu split it out of the python3 package)
    except ImportError:
        die("this Python cannot create virtual environments (no venv/ensurepip module). "
            "On Debian or Ubuntu: sudo apt install python3-venv (or python3.X-venv for your version)")
    say("creating %s with %s" % (VENV, sys.executable))
    if run([sys.executable, "-m", "venv", str(VENV)]).returncode != 0:
        die("could not create %s (see the message above); on Debian or Ubuntu install python3-venv" % VENV)


def stamp_for(lock):
    """What an install from this lock depends on: the lock itself and pyproject.toml (entry points)."""
    digest = hashlib.sha256()
    for path in (ROOT / lock, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def install(lock):
    if not (ROOT / lock).exists():
        die("%s is missing; run scripts/lock.sh to make it" % lock)
    stamp_file = STAMPS / lock
    stamp = stamp_for(lock)
    if stamp_file.exists() and stamp_file.read_text().strip() == stamp:
        return  # nothing changed since the last install
    say("installing %s into %s (the first run downloads packages, a minute or two)" % (lock, VENV))
    pip = [str(exe("python")), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    if run(pip + ["--require-hashes", "-r", str(ROOT / lock)]).returncode != 0:
        die("installing %s failed (see pip's message above)" % lock)
    # The dev lock carries the build backend, so tests set up without fetching it again.
    isolation = ["--no-build-isolation"] if lock == "requirements-dev.lock" else []
    if run(pip + isolation + ["--no-deps", "-e", str(ROOT)]).returncode != 0:
        die("installing the project itself (pip install -e .) failed (see pip's message above)")
    STAMPS.mkdir(exist_ok=True)
    stamp_file.write_text(stamp + "\n")


def db_args(hotline_args):
    """The --db option among the user's hotline arguments, so the demo fills the store the desk opens."""
    for i, arg in enumerate(hotline_args):
        if arg == "--db" and i + 1 < len(hotline_args):
            return ["--db", hotline_args[i + 1]]
        if arg.startswith("--db="):
            return [arg]
    return []


def store_is_empty(hotline, db):
    located = run([hotline] + db + ["locate", "--json"], stdout=subprocess.PIPE, universal_newlines=True)
    if located.returncode == 0 and not json.loads(located.stdout).get("store_exists", True):
        return True
    listed = run([hotline] + db + ["ticket", "list", "--json", "--limit", "1"],
                 stdout=subprocess.PIPE, universal_newlines=True)
    try:
        return listed.returncode == 0 and json.loads(listed.stdout) == []
    except ValueError:
        return False  # cannot tell: leave the store alone


def seed_demo(tickets, hotline_args, users=False):
    hotline = str(exe("hotline"))
    db = db_args(hotline_args)
    if run([hotline, "demo", "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
        say("note: this version has no `hotline demo` command yet; opening the desk without demo data")
        return
    if not store_is_empty(hotline, db):
        say("the store already has tickets; not adding demo data")
        return
    say("adding %d demo tickets%s" % (tickets, " and demo users" if users else ""))
    extra = ["--users"] if users else []
    if run([hotline] + db + ["demo", "--tickets", str(tickets)] + extra).returncode != 0:
        die("`hotline demo --tickets %d%s` failed (see above)" % (tickets, " --users" if users else ""))


def desk(args):
    demo, users = None, False
    if "--users" in args[:3]:  # --demo N --users: demo users too (the desk then opens on its sign-in screen)
        args = [a for i, a in enumerate(args) if not (a == "--users" and i < 3)]
        users = True
    if args[:1] == ["--demo"] or (args and args[0].startswith("--demo=")):
        value = args[1] if args[0] == "--demo" else args[0].split("=", 1)[1]
        args = args[2:] if args[0] == "--demo" else args[1:]
        if not value.isdigit():
            die("--demo needs a number of tickets, e.g. --demo 40", 2)
        demo = int(value)
    if args[:1] == ["--"]:
        args = args[1:]
    install("requirements.lock")
    if users and not demo:
        die("--users goes with --demo N, e.g. desk --demo 40 --users", 2)
    if demo:
        seed_demo(demo, args, users)
    hotline = str(exe("hotline"))
    if os.name == "nt":  # no real exec on Windows
        sys.exit(run([hotline] + args).returncode)
    os.execv(hotline, [hotline] + args)


def test(args):
    install("requirements-dev.lock")
    python = str(exe("python"))
    code = run([python, "-m", "pytest"] + args, cwd=str(ROOT)).returncode
    if code == 5:
        say("pytest collected no tests: that is a failure, not a pass")
    say("checking the import contracts (lint-imports)")
    lint = run([str(exe("lint-imports"))], cwd=str(ROOT)).returncode
    if code == 0 and lint != 0:
        say("the import contracts are broken (see above)")
        code = lint
    sys.exit(code)


def main(argv):
    check_python()
    if not argv or argv[0] not in ("desk", "test"):
        die("usage: python3 scripts/bootstrap.py desk [--demo N [--users]] [-- HOTLINE ARGS...]\n"
            "       python3 scripts/bootstrap.py test [PYTEST ARGS...]", 2)
    ensure_venv()
    if argv[0] == "desk":
        desk(argv[1:])
    else:
        test(argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
