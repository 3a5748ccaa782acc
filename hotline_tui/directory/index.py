"""The lookup index: candidate generation over precomputed keys, then scoring of a small candidate set.

Every unit has keys (name, core name, full name, short names, old names, duty keywords), each in Chinese
and as full-pinyin and initials variants computed at build time. At load we only arrange them:
- the keys as flat arrays (text, unit, type, source), in the order build.py wrote them;
- ``by_char``: Chinese character → key ids, so a Chinese substring is checked on the rarest character's keys;
- ``latin``: the sorted pinyin/initials keys, so a pinyin prefix is a bisect range;
- ``grams`` (built on first need): latin trigrams → key ids, for typing slips scored with rapidfuzz.
A query is tried as typed, as pinyin (typed Chinese → pinyin through the shipped character table: 同音),
and split into a district/street qualifier plus the rest ("市北台东", "shibei台东").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter

# score bases: exact > prefix > substring > fuzzy; Chinese > full pinyin > initials
ZH_EXACT, ZH_PREFIX, ZH_INNER = 100.0, 84.0, 76.0
PY_EXACT, PY_PREFIX = 96.0, 80.0
INI_EXACT, INI_PREFIX = 94.0, 76.0
COVERAGE = 14.0
SOURCE_ADJUST = {"name": 0.0, "core": 0.0, "full": -1.0, "short": -1.0, "old": -2.0, "duty": -14.0}
HOMOPHONE_PENALTY = 6.0
QUALIFIED_PENALTY = 1.0
FUZZY_WEIGHT, FUZZY_MIN = 0.8, 72.0
MAX_QUERY = 64
PREFIX_SCAN_CAP = 4000
SOURCES = ("name", "core", "full", "short", "old", "duty")  # as stored by build.py
DUTY = "5"
ZH, PY, INI, PY2, INI2 = "0", "1", "2", "3", "4"
FULL_PINYIN = (PY, PY2)

_LATIN = re.compile(r"[a-z0-9]+")
_DROP = re.compile(r"[\s'’·•,，.。、/\\|()（）\[\]【】\-_—:：;；!?！？\"“”]+")


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def normalize(query: str) -> str:
    """NFKC, lower case, no spaces or punctuation, no control characters, at most MAX_QUERY chars."""
    q = unicodedata.normalize("NFKC", query or "").lower()
    q = "".join(ch for ch in q if unicodedata.category(ch)[0] != "C")
    return _DROP.sub("", q)[:MAX_QUERY]


class Index:
    """Built from the flat arrays the build step wrote (``doc["index"]``); nothing is recomputed here."""

    def __init__(self, units: list, flat: dict, chars: dict[str, str], parents: list[int | None],
                 areas: list[int | None]):
        self.units = units
        self.chars = chars
        self.parents = parents
        self.areas = areas
        self.key_text: list[str] = flat["text"]
        self.key_unit: list[int] = flat["unit"]
        self.key_type: str = flat["type"]  # one char per key: ZH, PY/INI (default reading), PY2/INI2
        self.key_src: str = flat["src"]  # one digit per key: position in SOURCES
        start = flat["latin_start"]
        self.latin_start = start
        self.latin_text = self.key_text[start:]  # sorted by the build step: a prefix is a bisect range
        self.key_label = flat["label"]  # latin key → its Chinese key
        self._by_char: dict[str, list[int]] | None = None
        self._qualifiers: dict[str, int] | None = None
        self._grams: dict[str, list[int]] | None = None
        self._street_keys: dict[int, tuple[list[int], list[int]]] | None = None

    def label(self, kid: int) -> str:
        """The Chinese text a key stands for."""
        return self.key_text[kid] if kid < self.latin_start else self.key_text[self.key_label[kid - self.latin_start]]

    @property
    def by_char(self) -> dict[str, list[int]]:
        """Chinese character → ids of the Chinese keys holding it (built on first use, or by warm())."""
        if self._by_char is None:
            by_char: dict[str, list[int]] = {}
            for kid in range(self.latin_start):
                for ch in set(self.key_text[kid]):
                    if ch in by_char:
                        by_char[ch].append(kid)
                    else:
                        by_char[ch] = [kid]
            self._by_char = by_char
        return self._by_char

    @property
    def qualifiers(self) -> dict[str, int]:
        """Names of districts and streets (Chinese and default pinyin) that may lead a query: 市北台东."""
        if self._qualifiers is None:
            qualifiers: dict[str, int] = {}
            kinds = [u.kind for u in self.units]
            for kind_wanted in ("district", "street"):  # a street must not shadow a district
                for kid, t in enumerate(self.key_text):
                    ui = self.key_unit[kid]
                    if (kinds[ui] == kind_wanted and self.key_type[kid] in "01" and self.key_src[kid] in "01234"
                            and len(t) >= 2 and t not in qualifiers):
                        qualifiers[t] = ui
            self._qualifiers = qualifiers
        return self._qualifiers

    def warm(self) -> None:
        from rapidfuzz import fuzz  # noqa: F401  (imported once here, not on the first slip)

        self.by_char, self.qualifiers, self.grams(), self.street_keys()  # noqa: B018

    def within(self, ui: int, scope: int) -> bool:
        if self.areas[ui] == scope:
            return True
        node = self.parents[ui]
        while node is not None:
            if node == scope:
                return True
            node = self.parents[node]
        return False

    # --- search ---------------------------------------------------------------------------------
    def search(self, query: str) -> dict[int, tuple[float, str]]:
        """All matching units: unit index → (score, reason)."""
        q = normalize(query)
        if not q:
            return {}
        found: dict[int, tuple[float, str]] = {}
        self._plain(q, found)
        self._qualified(q, found)
        if len(found) < 10 or max(s for s, _ in found.values()) < 85:
            self._fuzzy(self.to_latin(q), found)
        return found

    def _plain(self, q: str, found: dict, scope: int | None = None, prefix: str = "",
               penalty: float = 0.0) -> None:
        has_cjk = any(is_cjk(c) for c in q)
        all_cjk = has_cjk and all(is_cjk(c) for c in q)
        if all_cjk:
            self._zh(q, found, scope, prefix, penalty)
        elif not has_cjk:
            self._latin(q, found, scope, prefix, penalty)
        if has_cjk:  # homophones and mixed input: match the pinyin of what was typed
            ql = self.to_latin(q)
            if ql and ql != q:
                self._latin(ql, found, scope, prefix, penalty + (HOMOPHONE_PENALTY if all_cjk else 0.0),
                            homophone=all_cjk)

    def _qualified(self, q: str, found: dict) -> None:
        seen_scopes = set()
        for i in range(len(q) - 2, 1, -1):  # the rest keeps at least two characters
            scope = self.qualifiers.get(q[:i])
            if scope is None or scope in seen_scopes:
                continue
            seen_scopes.add(scope)
            self._plain(q[i:], found, scope, self.units[scope].name + " · ", QUALIFIED_PENALTY)

    def to_latin(self, q: str) -> str:
        return "".join(self.chars.get(c, c) if is_cjk(c) else c for c in q if not is_cjk(c) or c in self.chars)

    def _offer(self, found: dict, kid: int, score: float, scope: int | None, prefix: str,
               how: str | None = None) -> None:
        ui = self.key_unit[kid]
        if scope is not None and not self.within(ui, scope):
            return
        src = SOURCES[int(self.key_src[kid])]
        score += SOURCE_ADJUST[src]
        if src != "name" and self.areas[ui] is not None and self.units[ui].kind == "department":
            # a district's copy of a city bureau's core/short/old name or catalogue line: a bare 城管,
            # 环保局 or 占道经营 names the city bureau (which routes on by place); 市北城管 the district's.
            score -= 1.0
        old = found.get(ui)
        if old is not None and old[0] >= score:
            return
        found[ui] = (score, prefix + (how or self._reason(kid)))

    def _reason(self, kid: int) -> str:
        src, typ = SOURCES[int(self.key_src[kid])], self.key_type[kid]
        if src == "duty":
            return f"职责「{self.label(kid)}」"
        if src == "short":
            return "简称"
        if src == "old":
            return "旧称"
        if typ in FULL_PINYIN:
            return "拼音"
        if typ != ZH:
            return "首字母"
        return "全称" if src == "full" else "名称"

    def _scope_keys(self, scope: int) -> tuple[list[int], list[int]] | None:
        """A street's own keys (Chinese, latin): scanning ~300 keys beats filtering a city-wide posting."""
        if self.units[scope].kind != "street":
            return None
        return self.street_keys().get(scope, ([], []))

    def street_keys(self) -> dict[int, tuple[list[int], list[int]]]:
        """Street → the Chinese and latin key ids of the street and its communities (one pass, cached)."""
        if self._street_keys is None:
            kinds = [u.kind for u in self.units]
            owner = [ui if kinds[ui] == "street" else (p if p is not None and kinds[p] == "street" else None)
                     for ui, p in enumerate(self.parents)]
            out: dict[int, tuple[list[int], list[int]]] = {}
            for kid, ui in enumerate(self.key_unit):
                st = owner[ui]
                if st is not None:
                    out.setdefault(st, ([], []))[kid >= self.latin_start].append(kid)
            self._street_keys = out
        return self._street_keys

    def _zh(self, q: str, found: dict, scope, prefix, penalty) -> None:
        pool = self._scope_keys(scope) if scope is not None else None
        if pool is not None:
            candidates = pool[0]
        else:
            postings = [self.by_char.get(c) for c in set(q)]
            if not all(postings):
                return
            candidates = min(postings, key=len)
        texts = self.key_text
        for kid in candidates:
            t = texts[kid]
            if t == q:
                self._offer(found, kid, ZH_EXACT - penalty, scope, prefix)
            elif len(t) > len(q):
                pos = t.find(q)
                if pos >= 0:
                    base = ZH_PREFIX if pos == 0 else ZH_INNER
                    self._offer(found, kid, base + COVERAGE * len(q) / len(t) - penalty, scope, prefix)

    def _latin(self, q: str, found: dict, scope, prefix, penalty, homophone: bool = False) -> None:
        how = None
        texts, types, start = self.latin_text, self.key_type, self.latin_start
        pool = self._scope_keys(scope) if scope is not None else None
        if pool is not None:
            js = [k - start for k in pool[1] if texts[k - start].startswith(q)]
        else:
            lo = bisect_left(texts, q)
            js = range(lo, min(bisect_left(texts, q + "\x7f", lo), lo + PREFIX_SCAN_CAP))
        n = len(q)
        for j in js:
            t = texts[j]
            kid = start + j
            py = types[kid] in FULL_PINYIN
            if len(t) == n:
                score = PY_EXACT if py else INI_EXACT
            else:
                score = (PY_PREFIX if py else INI_PREFIX) + COVERAGE * n / len(t)
            if homophone:
                how = "同音" if self.key_src[kid] != DUTY else None
            self._offer(found, kid, score - penalty, scope, prefix, how)

    # --- typing slips -----------------------------------------------------------------------------
    def grams(self) -> dict[str, list[int]]:
        """Trigram → pinyin key ids (default reading only), built on first use (or by warm())."""
        if self._grams is None:
            grams: dict[str, list[int]] = {}
            for kid in range(self.latin_start, len(self.key_text)):
                if self.key_type[kid] != PY:  # the default reading only
                    continue
                t = self.key_text[kid]
                for g in {t[i:i + 3] for i in range(len(t) - 2)}:
                    grams.setdefault(g, []).append(kid)
            self._grams = grams
        return self._grams

    def _fuzzy(self, q: str, found: dict) -> None:
        if len(q) < 4 or not q.isascii():
            return
        from rapidfuzz import fuzz

        grams = self.grams()
        cap = max(400, len(self.units) // 6)  # grams as common as "uan", "eng" pick nothing out
        counts: Counter[int] = Counter()
        used = 0
        for g in {q[i:i + 3] for i in range(len(q) - 2)}:
            posting = grams.get(g)
            if posting and len(posting) <= cap:
                counts.update(posting)
                used += 1
        if not counts:
            return
        need = max(1, used // 2)
        for kid, c in counts.most_common(200):
            if c < need:
                break
            t = self.key_text[kid]
            sim = fuzz.ratio(q, t)
            if len(t) > len(q) + 1:
                sim = max(sim, fuzz.ratio(q, t[: len(q)]) - 2)
            if sim >= FUZZY_MIN:
                how = "近似拼音" if self.key_src[kid] != DUTY else None
                self._offer(found, kid, sim * FUZZY_WEIGHT, None, "", how)
