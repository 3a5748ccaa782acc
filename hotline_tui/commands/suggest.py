"""``hotline suggest``: which units should take a request, read from stdin, ranked with their reasons.

stdin is the description as plain text, or a JSON object
``{"description": ..., "place": unit code, "category": ["a", "b", "c"] or "a › b › c"}``.
"""

from __future__ import annotations

import json
import sys

MAX_BYTES = 64 * 1024
FIELDS = ("description", "place", "category")


def register(sub) -> None:
    p = sub.add_parser("suggest", help="suggest the units (承办单位) for a request read on stdin (text or JSON)")
    p.add_argument("--limit", type=int, default=3, metavar="K", help="at most K units (default 3)")
    p.add_argument("--json", action="store_true", help="print a JSON array in the lookup result shape plus reason")
    p.set_defaults(func=run)


def read_request(raw: bytes) -> dict:
    """{description, place, category} from stdin's bytes, or InputError saying what is wrong."""
    from hotline_tui.domain.text import clean_text
    from hotline_tui.errors import InputError

    if len(raw) > MAX_BYTES:
        raise InputError(f"the request on stdin is larger than {MAX_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the request on stdin is not UTF-8 (byte {exc.start + 1})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError("no request on stdin: give the description as text, or a JSON object with a description")
    data = _json(text)
    if data is not None:
        unknown = sorted(set(data) - set(FIELDS))
        if unknown:
            raise InputError(f"unknown field {unknown[0][:40]!r} (fields: {', '.join(FIELDS)})")
    else:
        data = {"description": text}
    description = clean_text(data.get("description"), "description", kind="description")
    place = clean_text(data.get("place"), "place", kind="line") or None
    category = _category(data.get("category"))
    if not description and not place and not category:
        raise InputError("the request has no description, place or category to go on")
    return {"description": description, "place": place, "category": category}


def _json(text: str) -> dict | None:
    """The JSON object on stdin; None when stdin is plain text ("[紧急] 停水" is text, [1, 2] is not)."""
    from hotline_tui.errors import InputError

    head = text.lstrip()[:1]
    if head not in ("{", "["):
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if head == "[":
            return None
        raise InputError(f"the request JSON is malformed: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise InputError(f"the request must be a JSON object or plain text, not a JSON {type(data).__name__}")
    return data


def _category(value) -> list[str]:
    """The category as ``hotline ticket new`` reads it, also taking the taxonomy's own separators."""
    from hotline_tui.domain.intake import parse_category
    from hotline_tui.domain.text import clean_text
    from hotline_tui.routing.taxonomy import SEPARATORS

    if isinstance(value, str):
        clean_text(value, "category", kind="line")  # the whole text is one line, as before it is split
    return parse_category(value, separators=SEPARATORS)


def run(args) -> int:
    from hotline_tui.errors import InputError
    from hotline_tui.commands.session import open_desk

    if not 1 <= args.limit <= 50:
        raise InputError("--limit must be between 1 and 50")
    request = read_request(sys.stdin.buffer.read(MAX_BYTES + 1))
    desk = open_desk(args)
    if request["place"] and not desk.unit_exists(request["place"]):
        raise InputError(f"unknown place {request['place'][:40]!r}: look the unit up with `hotline lookup`")
    if request["category"]:
        from hotline_tui.routing import load_taxonomy

        if not load_taxonomy().under(request["category"]):
            label = " › ".join(request["category"])[:80]
            raise InputError(f"unknown category {label!r}: not in the request taxonomy")
    units = desk.suggest_units(request["description"], request["place"], request["category"] or None, args.limit)
    if args.json:
        print(json.dumps(units, ensure_ascii=False))
    elif not units:
        print("no unit to suggest: add the place or the category", file=sys.stderr)
    else:
        _table(units)
    return 0


def _table(units: list[dict]) -> None:
    from hotline_tui.commands.lookup import _pad, _width

    code_w = max(len(u["code"]) for u in units)
    name_w = max(_width(u["name"]) for u in units)
    for u in units:
        print(f"{u['code']:<{code_w}}  {_pad(u['name'], name_w)}  {u['score']:5.1f}  {u['reason']}  ({u['path']})")
