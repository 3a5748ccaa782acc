"""Where the desk keeps its store and config, and what the config says.

Order of precedence for the store: ``--db`` option, ``HOTLINE_DB``, the config file's ``store.path``,
then ``<user data dir>/hotline.sqlite``. The config file is ``HOTLINE_CONFIG`` or
``<user config dir>/config.toml``.

``[desk] role`` is the role of a store without users (the config's single operator) and, once the store has
users, the role a desk pins for whoever signs in at it: it can lower a person's role (a supervisor at an
operator's desk works as an operator) but never raise it (see hotline_tui/auth/roles.py).
``[privacy] key``: the city's key for callers' numbers (base64 of 32 bytes; ``HOTLINE_PRIVACY_KEY`` overrides
it), the same on every desk; made and written here by the desk when it first seals a caller (privacy/keys.py).

``[rules] similar_days`` (default 30, 1-365): how many days back intake looks for similar open requests
around the caller's place (并单 candidates); the same key data/time_limits.toml's ``[rules]`` names, checked
here so that a bad value is refused when the desk starts.

Only the standard library and platformdirs are imported here:
the desk's first frame waits on this module.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from hotline_tui.errors import InputError

APP_NAME = "hotline-tui"
DESK_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")
ROLES = ("operator", "cadre", "supervisor", "admin")  # the same as domain/permissions.ROLES
SIMILAR_DAYS = 30  # [rules] similar_days: how far back similar open requests are looked for
SIMILAR_DAYS_MAX = 365


def _dirs():
    import platformdirs

    return platformdirs.PlatformDirs(APP_NAME, appauthor=False)


def config_path() -> Path:
    env = os.environ.get("HOTLINE_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(_dirs().user_config_dir) / "config.toml"


def default_store_path() -> Path:
    return Path(_dirs().user_data_dir) / "hotline.sqlite"


@dataclass(frozen=True)
class Settings:
    """What one desk knows about itself. Loaded once per process."""

    store_path: Path
    config_file: Path
    config_exists: bool
    desk: str = "A01"
    operator: str = "接线员"
    role: str = "operator"
    unit: str | None = None  # a visiting cadre's own unit code
    hub: str | None = None
    city_code: str = "QD"
    holidays: dict[str, bool] = field(default_factory=dict)  # ISO date -> True (off) / False (working)
    keymap: dict[str, str] = field(default_factory=dict)
    rules: dict[str, object] = field(default_factory=dict)
    store_from: str = "default"
    similar_days: int = SIMILAR_DAYS
    role_from: str = "default"  # where ``role`` came from: default, config, HOTLINE_ROLE, or sign-in
    privacy_key: str | None = None  # [privacy] key: base64 of the city's 32-byte key (privacy/keys.py)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise InputError(f"config file {path} cannot be read: {exc.strerror}") from None


def load_settings(db: str | os.PathLike | None = None) -> Settings:
    cfg_file = config_path()
    raw = _read_toml(cfg_file)
    desk = raw.get("desk", {}) if isinstance(raw.get("desk", {}), dict) else {}
    store = raw.get("store", {}) if isinstance(raw.get("store", {}), dict) else {}
    sync = raw.get("sync", {}) if isinstance(raw.get("sync", {}), dict) else {}
    privacy = raw.get("privacy", {}) if isinstance(raw.get("privacy", {}), dict) else {}

    if db:
        store_path, store_from = Path(db).expanduser(), "--db"
    elif os.environ.get("HOTLINE_DB"):
        store_path, store_from = Path(os.environ["HOTLINE_DB"]).expanduser(), "HOTLINE_DB"
    elif store.get("path"):
        store_path, store_from = Path(str(store["path"])).expanduser(), "config"
    else:
        store_path, store_from = default_store_path(), "default"

    code = str(os.environ.get("HOTLINE_DESK") or desk.get("code", "A01")).upper()
    if not DESK_CODE_RE.match(code):
        raise InputError(f"desk code {code!r} must be 2-6 capital letters or digits, starting with a letter")
    role_from = "HOTLINE_ROLE" if os.environ.get("HOTLINE_ROLE") else "config" if "role" in desk else "default"
    role = str(os.environ.get("HOTLINE_ROLE") or desk.get("role", "operator"))
    if role not in ROLES:
        raise InputError(f"role {role!r} is not one of {', '.join(ROLES)}")
    rules = dict(raw.get("rules", {}) or {}) if isinstance(raw.get("rules", {}), dict) else {}
    similar_days = rules.get("similar_days", SIMILAR_DAYS)
    if isinstance(similar_days, bool) or not isinstance(similar_days, int) or not 1 <= similar_days <= SIMILAR_DAYS_MAX:
        raise InputError(f"[rules] similar_days must be a whole number of days from 1 to {SIMILAR_DAYS_MAX}, not {similar_days!r}")
    holidays_raw = raw.get("holidays", {})
    holidays: dict[str, bool] = {}
    if isinstance(holidays_raw, dict):
        for day in holidays_raw.get("off", []) or []:
            holidays[str(day)] = True
        for day in holidays_raw.get("work", []) or []:
            holidays[str(day)] = False
    return Settings(
        store_path=store_path,
        config_file=cfg_file,
        config_exists=cfg_file.exists(),
        desk=code,
        operator=str(os.environ.get("HOTLINE_OPERATOR") or desk.get("operator", "接线员")),
        role=role,
        unit=desk.get("unit") or os.environ.get("HOTLINE_UNIT") or None,
        hub=os.environ.get("HOTLINE_HUB") or sync.get("hub") or None,
        city_code=str(desk.get("city", "QD")).upper(),
        holidays=holidays,
        keymap={str(k): str(v) for k, v in (raw.get("keymap", {}) or {}).items()},
        rules=rules,
        store_from=store_from,
        similar_days=similar_days,
        role_from=role_from,
        privacy_key=str(privacy["key"]) if privacy.get("key") else None,
    )
