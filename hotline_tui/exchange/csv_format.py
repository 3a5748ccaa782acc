"""The CSV format of historical tickets: its columns, its encodings, and reading a file into numbered rows.

A file is refused whole, with a clear reason, when it is missing, a folder, empty, over MAX_FILE_BYTES,
binary (NUL bytes: a spreadsheet or UTF-16 file, say), in an encoding that is neither UTF-8 (with or without a
BOM) nor GB18030/GBK (or not the one given with ``--encoding``), or when its header names an unknown column,
names one twice or lacks a required one. Rows are checked one by one by csv_rows.py.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.errors import InputError, NotFound

MAX_FILE_BYTES = 256 * 1024 * 1024
FIELD_LIMIT = 4_000  # characters in one cell (the description's limit; one-line cells are held to 200)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as a Chinese system exports it; either name is accepted
    required: bool
    help: str


COLUMNS = (
    Column("number", "工单编号", True, "the original number, kept: 4 to 40 letters, digits and -, at least 4 digits (upper-cased)"),
    Column("registered", "登记时间", True, "when the request was registered"),
    Column("channel", "渠道", False, "12345热线 领导留言板 政府信箱 青岛日报 市广播电视台 信访, or its code; empty: 12345热线"),
    Column("nature", "诉求性质", True, "投诉 咨询 建议 求助 举报 表扬, or its code"),
    Column("category", "诉求分类", False, "a category of the taxonomy: its path (城乡建设/市容环境/占道经营) or code (cxjs-srhj-zdjy)"),
    Column("place", "诉求地点", False, "the unit of the place: its code or its exact name (台东街道)"),
    Column("address", "详细地址", False, "the address as typed"),
    Column("caller_phone", "来电号码", False, "mobile or landline; empty: an anonymous caller"),
    Column("caller_name", "诉求人", False, "the caller's name"),
    Column("description", "诉求内容", True, "what the caller asked (up to 4,000 characters)"),
    Column("urgency", "紧急程度", False, "一般 紧急 特急, or its code; empty: 一般"),
    Column("lead_unit", "主办单位", False, "the lead unit (code or exact name); for 已转办: 110 119 120 122 or 其他热线"),
    Column("state", "工单状态", True, "已登记 待签收 办理中 答复审核 待回访 已回访 已办结 已转办, or its code"),
    Column("dispatched", "派单时间", False, "when it was dispatched to the lead unit"),
    Column("due", "办理时限", False, "the handling deadline (a date means the end of that day); empty: the time limits counted from the dispatch"),
    Column("claimed", "签收时间", False, "when the lead unit claimed it"),
    Column("replied", "答复时间", False, "when the unit replied"),
    Column("reply", "答复内容", False, "the reply (or, without a lead unit, the answer given on the call)"),
    Column("resolved", "是否解决", False, "是 or 否; empty: 是"),
    Column("callback", "回访结果", False, "满意 基本满意 不满意, or its code"),
    Column("callback_at", "回访时间", False, "when the callback was made; empty: the close time"),
    Column("closed", "办结时间", False, "when it was closed (answered or transferred, without a lead unit)"),
)
BY_NAME = {name.lower(): c for c in COLUMNS for name in (c.key, c.header)}
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (with BOM)", "gb18030": "GB18030/GBK"}


def read_bytes(path: str | Path) -> bytes:
    p = Path(path).expanduser()
    if not p.exists():
        raise NotFound(f"no file {p}")
    if p.is_dir():
        raise InputError(f"{p} is a folder, not a CSV file")
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{p.name} is {size / 1048576:,.0f} MB; at most {MAX_FILE_BYTES // 1048576} MB can be imported at once: split it")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(f"{p.name} is empty: a header line and one ticket per line are expected")
    return data


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """(text, the encoding's name as told to the user)."""
    if b"\x00" in data:
        raise InputError(f"{name} is a binary file (it holds NUL bytes), not CSV text: save it as CSV in UTF-8 or GBK")
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"unknown encoding {encoding[:30]!r} (try utf-8 or gb18030)") from None
        if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        try:
            return data.decode(codec), ENCODINGS.get(codec, codec)
        except UnicodeDecodeError as exc:
            raise InputError(f"{name} is not valid {encoding} (byte {exc.start + 1:,}): give the file's encoding with --encoding") from None
    if data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    else:
        codec = "utf-8"
    try:
        return data.decode(codec), ENCODINGS[codec]
    except UnicodeDecodeError as exc:
        if codec == "utf-8-sig" or _mostly_utf8(data[:exc.start]):
            # read as GB18030 it would turn into other characters without a word: say where UTF-8 broke
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError(f"{name} is UTF-8 up to line {line:,}, where byte "
                             f"{exc.start + 1:,} is not: fix that line, or give the encoding with --encoding") from None
    try:
        return data.decode("gb18030"), ENCODINGS["gb18030"]
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is neither UTF-8 nor GB18030/GBK (byte {exc.start + 1:,} cannot be read): "
                         "give its encoding with --encoding") from None


def _mostly_utf8(prefix: bytes) -> bool:
    """Whether the text before the first byte UTF-8 could not read already held Chinese in UTF-8 (30 bytes of
    multi-byte characters and more): then it is a UTF-8 file with a bad byte, not a GBK file. GBK text is
    seldom valid UTF-8 for more than a character or two."""
    return sum(b >= 0x80 for b in prefix) >= 30


def header(cells: list[str], name: str) -> list[Column]:
    """The columns the header line names, in order; refused when one is unknown, repeated or missing."""
    cols, unknown, seen = [], [], set()
    for cell in cells:
        c = BY_NAME.get(cell.strip().lower())
        if c is None:
            unknown.append(cell.strip()[:30])
            continue
        if c.key in seen:
            raise InputError(f"{name}: column {c.header} ({c.key}) appears twice in the header")
        seen.add(c.key)
        cols.append(c)
    if unknown:
        raise InputError(f"{name}: unknown column(s) {', '.join(repr(u) for u in unknown)} in the header "
                         f"(known: {' '.join(c.header for c in COLUMNS)}; or their English names)")
    missing = [c for c in COLUMNS if c.required and c.key not in seen]
    if missing:
        raise InputError(f"{name}: missing column(s) {', '.join(f'{c.header} ({c.key})' for c in missing)}")
    return cols


def rows(text: str, name: str) -> Iterator[tuple[int, dict[str, str]] | tuple[int, str]]:
    """(line, {column key: cell}) for each ticket, or (line, error) for a line that cannot be read as one;
    the header is checked first (InputError)."""
    old = csv.field_size_limit()
    csv.field_size_limit(FIELD_LIMIT + 1)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            first = next(reader, None)
        except csv.Error as exc:
            raise InputError(f"{name} line 1: the header cannot be read ({exc})") from None
        if not first:
            raise InputError(f"{name}: the first line must be the header")
        cols = header(first, name)
        line, any_row = reader.line_num + 1, False
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                why = (f"a cell is longer than {FIELD_LIMIT:,} characters" if "field larger" in str(exc)
                       else f"cannot be read as CSV ({exc})")
                yield line, why
                return  # the reader cannot be trusted past this point
            if not cells or cells == [""]:
                line = reader.line_num + 1
                continue
            any_row = True
            if len(cells) != len(cols):
                yield line, f"{len(cells)} cells, but the header has {len(cols)} columns"
            else:
                yield line, {c.key: v for c, v in zip(cols, cells)}
            line = reader.line_num + 1
        if not any_row:
            raise InputError(f"{name} holds only the header line: no tickets to import")
    finally:
        csv.field_size_limit(old)
