"""Where a report command's output goes: stdout, or ``--out FILE`` checked before any work is done."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hotline_tui.errors import InputError


def check_writable(path: str | os.PathLike) -> None:
    """Refuse, before any work, a path that cannot be written: a folder, a missing folder, no permission."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {path}: the folder {folder} does not exist")
    if (path.exists() and not os.access(path, os.W_OK)) or (not path.exists() and not os.access(folder, os.W_OK)):
        raise InputError(f"cannot write {path}: permission denied")


def emit(data: str | bytes, out: str | os.PathLike | None) -> None:
    """``data`` to the file ``out``, or to stdout (bytes as they are, text as text)."""
    if out:
        try:
            with open(Path(out).expanduser(), "wb") as fh:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        except OSError as exc:
            raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
        return
    if isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data)
