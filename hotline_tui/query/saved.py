"""The workbench's saved filters and the last filter used, kept in ``filters.toml`` beside the user's config
file (the desk never rewrites config.toml, which a person edits by hand).

    [last]
    filter = "overdue unit:市北区"

    [saved]
    "市北区超期" = "overdue place:市北区 sort:due"

Written whole to a temporary file and renamed over the old one, readable by its owner alone; a file that
cannot be read is reported and left as it is, never overwritten.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from hotline_tui.errors import InputError
from hotline_tui.query.syntax import MAX_CHARS

FILE_NAME = "filters.toml"
MAX_NAME = 40
MAX_SAVED = 200


@dataclass
class SavedFilters:
    saved: dict[str, str] = field(default_factory=dict)
    last: str | None = None


def filters_path(config_file: Path) -> Path:
    return Path(config_file).parent / FILE_NAME


def load(path: Path) -> SavedFilters:
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        return SavedFilters()
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"the saved filters file {path} is not valid TOML ({exc}); fix or remove it") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"the saved filters file {path} cannot be read ({exc}); fix or remove it") from None
    saved = raw.get("saved", {})
    last = raw.get("last", {})
    if not isinstance(saved, dict) or not isinstance(last, dict):
        raise InputError(f"the saved filters file {path} has [saved] or [last] that is not a table; fix or remove it")
    out = SavedFilters()
    for name, text in saved.items():
        if isinstance(text, str) and _clean_name(name) == name and len(text) <= MAX_CHARS:
            out.saved[name] = text
    text = last.get("filter")
    if isinstance(text, str) and len(text) <= MAX_CHARS:
        out.last = text
    return out


def save_named(path: Path, name: str, text: str) -> SavedFilters:
    name = _clean_name(name)
    _check_filter(text)
    current = load(path)
    if name not in current.saved and len(current.saved) >= MAX_SAVED:
        raise InputError(f"at most {MAX_SAVED} filters can be saved; delete one first")
    current.saved[name] = text
    _write(path, current)
    return current


def delete_named(path: Path, name: str) -> SavedFilters:
    current = load(path)
    if current.saved.pop(name, None) is None:
        raise InputError(f"no saved filter is called {name!r}")
    _write(path, current)
    return current


def save_last(path: Path, text: str) -> None:
    _check_filter(text)
    current = load(path)
    if current.last != text:
        current.last = text
        _write(path, current)


def _clean_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InputError("a saved filter needs a name")
    name = name.strip()
    if len(name) > MAX_NAME:
        raise InputError(f"a filter's name is at most {MAX_NAME} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        raise InputError("a filter's name holds a control character; type only letters, digits and signs")
    return name


def _check_filter(text: object) -> None:
    if not isinstance(text, str):
        raise InputError("a filter is text")
    if len(text) > MAX_CHARS:
        raise InputError(f"a filter is at most {MAX_CHARS:,} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text):
        raise InputError("the filter holds a control character")


def _string(value: str) -> str:
    """A TOML basic string."""
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _write(path: Path, data: SavedFilters) -> None:
    lines = ["# The workbench's filters (F5): w saves one, v lists them. Edit by hand if you like.", ""]
    if data.last is not None:
        lines += ["[last]", f"filter = {_string(data.last)}", ""]
    lines.append("[saved]")
    lines += [f"{_string(name)} = {_string(text)}" for name, text in sorted(data.saved.items())]
    body = "\n".join(lines) + "\n"
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".filters-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as exc:
        raise InputError(f"the saved filters file {path} cannot be written ({exc.strerror}); nothing was changed") from None
