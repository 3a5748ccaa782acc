"""The city's privacy key: ``[privacy] key`` in the config (base64 of 32 random bytes), or
``HOTLINE_PRIVACY_KEY``, which overrides it. Every desk of a city holds the same key (it is handed out with
the config), so a caller's keyed hash is the same on every desk and any desk can open what another sealed.

The key lives in the config, never in the store: a store (or a hub) without the config gives up no number.
When a desk has to seal and there is no key yet, one is made and written into the config file, which is made
owner-only (0600, its folder 0700); the file's other contents are kept byte for byte.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import tempfile
import tomllib
from pathlib import Path

from hotline_tui.config import _read_toml
from hotline_tui.errors import InputError

ENV = "HOTLINE_PRIVACY_KEY"
KEY_BYTES = 32
_TABLE = re.compile(r"^\s*\[\s*privacy\s*\]\s*(#.*)?$")


def decode_key(text: object, where: str) -> bytes:
    """The key's 32 bytes from its base64 text; a clear refusal for anything else."""
    if not isinstance(text, str):
        raise InputError(f"{where}: the privacy key must be text (base64 of {KEY_BYTES} bytes), not {type(text).__name__}")
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"{where}: the privacy key is not base64 (it must be base64 of {KEY_BYTES} random bytes)") from None
    if len(raw) != KEY_BYTES:
        raise InputError(f"{where}: the privacy key must be base64 of {KEY_BYTES} bytes, not {len(raw)}")
    return raw


def configured_key(config_file: Path | None, settings_key: str | None = None) -> bytes | None:
    """The key as this desk has it now (environment, then the settings, then the config file as it is on
    disk now), or None when there is none yet."""
    env = os.environ.get(ENV)
    if env:
        return decode_key(env, ENV)
    if settings_key:
        return decode_key(settings_key, f"[privacy] key in {config_file}")
    if config_file is None:
        return None
    raw = _read_toml(Path(config_file))
    table = raw.get("privacy")
    if isinstance(table, dict) and table.get("key"):
        return decode_key(table["key"], f"[privacy] key in {config_file}")
    return None


def new_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def with_key(text: str, key_text: str) -> str:
    """``text`` (a config file's contents) with ``key = ...`` in its ``[privacy]`` table: under the table's
    header when there is one, else a new table at the end. Nothing else changes."""
    line = f'key = "{key_text}"'
    lines = text.splitlines(keepends=True)
    for i, current in enumerate(lines):
        if _TABLE.match(current.rstrip("\r\n")):
            newline = "\r\n" if current.endswith("\r\n") else "\n"
            if not current.endswith("\n"):
                lines[i] = current + newline
            lines.insert(i + 1, line + newline)
            return "".join(lines)
    head = text if not text or text.endswith("\n") else text + "\n"
    gap = "\n" if head else ""
    return f"{head}{gap}[privacy]\n# the city's key for callers' numbers: the same on every desk, never in the store\n{line}\n"


def ensure_key(config_file: Path | None, settings_key: str | None = None) -> bytes:
    """The key, made and written into the config file first when there is none."""
    key = configured_key(config_file, settings_key)
    if key is not None:
        return key
    if config_file is None:
        raise InputError(f"no privacy key: set [privacy] key in the config or {ENV}")
    path = Path(config_file)
    key_text = new_key_text()
    try:
        before = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot add a privacy key to the config file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    after = with_key(before, key_text)
    try:
        parsed = tomllib.loads(after)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config file {path} is not valid TOML: {exc}") from None
    if (parsed.get("privacy") or {}).get("key") != key_text:
        raise InputError(f"cannot add a privacy key to the config file {path}: its [privacy] table is not a plain table;"
                         f" add key = \"<base64 of {KEY_BYTES} random bytes>\" there by hand")
    write_private(path, after)
    return decode_key(key_text, str(path))


def make_private_folder(folder: Path) -> None:
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for f in reversed(missing):
        f.mkdir(mode=0o700, exist_ok=True)


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` at once (a temporary file beside it, then a rename), owner-only."""
    try:
        make_private_folder(path.parent)
        if path.is_dir():
            raise InputError(f"cannot write the config file {path}: it is a folder")
        fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            with _quiet():
                os.unlink(tmp)
            raise
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"cannot write the privacy key into the config file {path}: {exc.strerror or exc};"
                         f" set [privacy] key there or {ENV} by hand") from None


class _quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], OSError)
