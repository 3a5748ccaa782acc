"""Name rules: the core of a name (台东街道 → 台东) and the everyday form of an NBS registered name."""

from __future__ import annotations

import re

# NBS registered names of communities/villages end in their committee; people say 城子社区, 竹窝村.
_COMMITTEE = re.compile(r"(社区居民委员会|社区居委会|居民委员会|居委会|村民委员会|村委会)$")
_SUFFIXES = ("街道办事处", "街道", "社区", "新区", "镇", "乡", "村", "区", "市")
_SECTION_SUFFIXES = ("处", "科", "室")  # 劳动关系处 → 劳动关系
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def everyday_name(registered: str) -> str:
    """城子社区居民委员会 → 城子社区; 竹窝村村民委员会 → 竹窝村; 福集社区居委会 → 福集社区."""
    name = registered
    m = _COMMITTEE.search(name)
    if m:
        stem = name[: m.start()]
        committee = m.group(1)
        if committee.startswith("社区"):
            name = stem + "社区"
        elif committee.startswith("村"):
            name = stem if stem.endswith("村") else stem + "村"
        else:  # 居民委员会 / 居委会
            name = stem if stem.endswith(("社区", "村", "区")) else stem + "社区"
    return name or registered


def core_name(name: str, prefixes: tuple[str, ...] = ()) -> str:
    """The distinctive part people type: 台东街道 → 台东, 市北区 → 市北, 市北区城市管理局 → 城市管理局."""
    core = name
    for p in sorted(prefixes, key=len, reverse=True):
        if p and core.startswith(p) and len(core) - len(p) >= 2:
            core = core[len(p):]
            break
    for s in _SUFFIXES:
        if core.endswith(s) and len(core) - len(s) >= 2:
            core = core[: -len(s)]
            break
    return core


def section_core(name: str) -> str:
    """What people say of a section (处室) without its ending: 劳动关系处 → 劳动关系 (at least two left)."""
    for s in _SECTION_SUFFIXES:
        if name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return name


def has_control(text: str) -> bool:
    """Control characters and escape sequences have no place in a unit's name or a query."""
    return bool(_CONTROL.search(text))
