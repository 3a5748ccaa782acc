"""Pinyin of unit names, computed when the directory is built or imported (never at start-up).

pypinyin's default reading is phrase-aware but picks one reading per character; names such as 单县路
(shan) or 朝城路 (zhao?) need the other readings too, so every key gets a few variants: the default, then
each polyphone character switched to each of its other readings (at most MAX_VARIANTS in all).
"""

from __future__ import annotations

MAX_VARIANTS = 6
MAX_READINGS = 2  # pypinyin lists rare readings too (台 yi, 市 fu); place names need only a few:
PLACE_READINGS = {"单": ("shan", "dan"), "长": ("chang", "zhang"), "重": ("chong", "zhong"),
                  "行": ("xing", "hang"), "曲": ("qu",), "乐": ("le", "yue", "lao"), "朝": ("chao", "zhao"),
                  "堡": ("bao", "pu"), "厦": ("xia", "sha"), "解": ("jie", "xie"), "藏": ("cang", "zang"),
                  "会": ("hui", "kuai"), "沈": ("shen",), "石": ("shi", "dan"), "大": ("da", "dai"),
                  "都": ("du", "dou"), "圈": ("quan", "juan"), "涌": ("yong", "chong"), "夼": ("kuang",),
                  "柏": ("bai", "bo"), "塔": ("ta",), "泊": ("bo", "po"), "埠": ("bu",), "莘": ("shen", "xin")}


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def pinyin_variants(text: str) -> tuple[list[str], list[str]]:
    """Full-pinyin and initials variants of ``text`` (lower case, no separators), default first."""
    from pypinyin import Style, lazy_pinyin, pinyin

    default = [s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: list(s))]
    if len(default) != len(text):  # errors kept one item per char; be safe anyway
        default = [lazy_pinyin(ch, style=Style.NORMAL, errors=lambda s: [s])[0].lower() for ch in text]
    rows: list[list[str]] = [default]
    for i, ch in enumerate(text):
        if not _is_cjk(ch):
            continue
        readings = pinyin(ch, style=Style.NORMAL, heteronym=True)[0][:MAX_READINGS]
        for r in list(PLACE_READINGS.get(ch, ())) + readings:
            r = r.lower()
            if r != default[i] and len(rows) < MAX_VARIANTS:
                rows.append(default[:i] + [r] + default[i + 1:])
    full: list[str] = []
    initials: list[str] = []
    for row in rows:
        f = "".join(_latin(s) for s in row)
        ini = "".join(_latin(s)[:1] for s in row)
        if f and f not in full:
            full.append(f)
        if ini and ini not in initials:
            initials.append(ini)
    return full, initials


def _latin(s: str) -> str:
    return "".join(c for c in s.lower() if c.isascii() and c.isalnum())


def char_readings(chars) -> dict[str, str]:
    """Default single-character reading for each CJK character (used to turn typed Chinese into pinyin)."""
    from pypinyin import Style, pinyin

    out: dict[str, str] = {}
    for ch in chars:
        if _is_cjk(ch):
            r = pinyin(ch, style=Style.NORMAL)[0][0].lower()
            if r.isascii() and r.isalpha():
                out[ch] = r
    return out


def common_chars() -> list[str]:
    """The 6,763 GB2312 hanzi: what callers' Chinese input almost always consists of."""
    chars = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars
