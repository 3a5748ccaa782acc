"""``hotline lookup QUERY``: find a unit by name, pinyin, initials, short/old name or duty keyword.

When no unit matches the query well, it says so: the text output's first line, and in JSON every match
carries ``good`` (false for one that merely shares characters or pinyin syllables with the query) and the
dispatch catalogue's routes for duty keywords inside the query come first, marked ``route``.
"""

from __future__ import annotations

import json
import sys

MAX_QUERY_CHARS = 200


def register(sub) -> None:
    p = sub.add_parser("lookup", help="find a unit (承办单位) by name, pinyin, initials, short name or duty")
    p.add_argument("query", nargs="?", help="what to look for, e.g. 台东, tdjd, 市北城管, 占道经营")
    p.add_argument("--limit", type=int, default=10, metavar="K", help="at most K results (default 10)")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.add_argument("--batch", action="store_true", help="one query per line on stdin, one JSON array per line")
    p.set_defaults(func=run)


def check_query(query: str) -> str:
    from hotline_tui.directory.names import has_control
    from hotline_tui.errors import InputError

    if "\x1b" in query or has_control(query):
        raise InputError("the query contains control characters or an escape sequence")
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    if not query.strip():
        raise InputError("the query is empty: type part of a name, its pinyin or a duty keyword")
    return query


def run(args) -> int:
    from hotline_tui.errors import InputError

    if not 1 <= args.limit <= 200:
        raise InputError("--limit must be between 1 and 200")
    if args.batch:
        if args.query:
            raise InputError("--batch reads queries from stdin; give no QUERY")
        return _batch(args)
    if args.query is None:
        raise InputError("give a QUERY, or --batch to read queries from stdin")
    query = check_query(args.query)
    matches = _directory(args).answer(query, limit=args.limit)
    if args.json:
        print(json.dumps([m.as_dict() for m in matches], ensure_ascii=False))
    elif not matches:
        print(f"no unit matches {query!r}", file=sys.stderr)
    else:
        if not matches[0].good or matches[0].route:
            routes = sum(m.route for m in matches)
            print(f"no unit matches {query!r} well"
                  + (f"; the dispatch catalogue routes it ({routes})" if routes else "; the closest only look or sound alike"))
        _table(matches)
    return 0


def _directory(args):
    from hotline_tui.config import load_settings
    from hotline_tui.directory import load_directory_for_store

    return load_directory_for_store(load_settings(args.db).store_path)


def _batch(args) -> int:
    """Bad lines give an empty array (the stream keeps its one-line-per-query shape)."""
    from hotline_tui.errors import InputError

    d = _directory(args)
    out = sys.stdout
    for line in sys.stdin:
        query = line.rstrip("\r\n")
        try:
            matches = d.answer(check_query(query), limit=args.limit)
        except InputError:
            matches = []
        out.write(json.dumps([m.as_dict() for m in matches], ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _table(matches) -> None:
    """code, name, path and why it matched, aligned for CJK wide characters."""
    code_w = max(len(m.code) for m in matches)
    name_w = max(_width(m.name) for m in matches)
    path_w = max(_width(m.path) for m in matches)
    for m in matches:
        mark = "" if m.good else "  (相近)"
        print(f"{m.code:<{code_w}}  {_pad(m.name, name_w)}  {_pad(m.path, path_w)}  {m.score:5.1f}  {m.reason}{mark}")


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))
