"""``hotline locate``: where the store and the config are."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("locate", help="print where the store and the config are")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from hotline_tui.config import load_settings

    s = load_settings(args.db)
    info = {
        "store": str(s.store_path),
        "store_from": s.store_from,
        "store_exists": s.store_path.exists(),
        "config": str(s.config_file),
        "config_exists": s.config_exists,
        "desk": s.desk,
        "role": s.role,
        "hub": _redact(s.hub),
    }
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
    else:
        print(f"store   {info['store']}  ({info['store_from']}{'' if info['store_exists'] else ', not created yet'})")
        print(f"config  {info['config']}{'' if info['config_exists'] else '  (not created yet)'}")
        print(f"desk    {s.desk} · {s.operator} ({s.role})")
        print(f"hub     {info['hub'] or 'none (this desk works alone)'}")
    return 0


def _redact(url: str | None) -> str | None:
    if not url:
        return url
    from hotline_tui.redact import redact_url

    return redact_url(url)
