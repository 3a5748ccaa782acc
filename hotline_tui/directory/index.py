"""The lookup index: candidate generation over precomputed keys, then scoring of a small candidate set.

Every unit has keys (name, core name, full name, short names, old names, duty keywords), each in Chinese
and as full-pinyin and initials variants computed at build time. At load we only arrange them:
- the keys as flat arrays (text, unit, type, source), in the order build.py wrote them;
- ``by_pair`` / ``by_char``: two adjacent Chinese characters (or one) → key ids, so a Chinese substring is
  checked only on the keys holding its rarest pair;
- ``latin``: the sorted pinyin/initials keys, so a pinyin prefix is a bisect range;
- ``grams`` (built on first need): latin trigrams → key ids, for typing slips scored with rapidfuzz;
- per street and per district, their own keys, so a qualified query ("市北占道经营") scans one area's keys.
A query is tried as typed, as pinyin (typed Chinese → pinyin through the shipped character table: 同音),
and split into a district/street qualifier plus the rest ("市北台东", "shibei台东", and for districts
their initials too: "sbtd", "sb台东"). Typing slips are scored only when nothing matched well.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter

from hotline_tui.directory.model import AREA_COPY_KINDS

# score bases: exact > prefix > substring > fuzzy; Chinese > full pinyin > initials
ZH_EXACT, ZH_PREFIX, ZH_INNER = 100.0, 84.0, 76.0
PY_EXACT, PY_PREFIX = 96.0, 80.0
INI_EXACT, INI_PREFIX = 94.0, 76.0
COVERAGE = 14.0
SOURCE_ADJUST = {"name": 0.0, "core": 0.0, "full": -1.0, "short": -1.0, "old": -2.0, "duty": -14.0, "path": 0.0}
HOMOPHONE_PENALTY = 6.0
QUALIFIED_PENALTY = 1.0
ALT_READING_PENALTY = 1.0  # 乐山 read "laoshan" is a reading, 崂山 is the name
# A community's or village's stripped name (城关村 → 城关, 崂山社区 → 崂山) collides with better known names
# said the same way (城管, 崂山区); its full name still matches at full score.
COMMUNITY_CORE_PENALTY = {"zh": 1.0, "latin": 2.0}
FUZZY_WEIGHT, FUZZY_MIN = 0.8, 72.0
FUZZY_WHEN_BELOW = 80.0
FUZZY_SCORED = 60  # at most this many slips are offered (the list shows 30)
FUZZY_BUDGET = 1500  # keys counted at most (the first, rarest gram always)
FUZZY_GRAMS = 5  # the rarest trigrams of the query pick the candidates
MAX_QUERY = 64
PREFIX_SCAN_CAP = 4000
# One or two typed letters ("s", "ta") begin thousands of keys; a prefix match scores by how much of the
# key it covers, so the shortest keys score best: scan only the SHORT_SCAN shortest keys of such a prefix.
SHORT_PREFIX, SHORT_SCAN = 2, 500
# Three or four letters ("shi", "huan") still begin up to a thousand keys (every 市… department, its sections
# under its names): their LONG_SCAN shortest, worked out once per such prefix (by warm() for all of them).
LONG_PREFIX, LONG_SCAN = 4, 300
ZH_SCAN = 800  # the same for one or two Chinese characters held by more keys than this (台, 社区)
SOURCES = ("name", "core", "full", "short", "old", "duty", "path")  # as stored by build.py
DUTY = "5"
ZH, PY, INI, PY2, INI2 = "0", "1", "2", "3", "4"
FULL_PINYIN = (PY, PY2)
ALT_READINGS = (PY2, INI2)

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
        self.community = [u.kind == "community" for u in units]
        self.key_text: list[str] = flat["text"]
        self.key_unit: list[int] = flat["unit"]
        self.key_type: str = flat["type"]  # one char per key: ZH, PY/INI (default reading), PY2/INI2
        self.key_src: str = flat["src"]  # one digit per key: position in SOURCES
        start = flat["latin_start"]
        self.latin_start = start
        self.latin_text = self.key_text[start:]  # sorted by the build step: a prefix is a bisect range
        self.key_label = flat["label"]  # latin key → its Chinese key
        self._by_char: dict[str, list[int]] | None = None
        self._by_pair: dict[str, list[int]] | None = None
        self._qualifiers: dict[str, int] | None = None
        self._grams: dict[str, list[int]] | None = None
        self._street_keys: dict[int, tuple[list[int], list[int]]] | None = None
        self._district_latin: dict[int, tuple[list[str], list[int]]] | None = None
        self._scope_of: list[tuple[int | None, int | None]] | None = None
        self._shortest: dict[str, list[int]] = {}

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
    def by_pair(self) -> dict[str, list[int]]:
        """Two adjacent characters → ids of the Chinese keys holding them (built on first use, or by warm())."""
        if self._by_pair is None:
            by_pair: dict[str, list[int]] = {}
            texts = self.key_text
            for kid in range(self.latin_start):
                t = texts[kid]
                for pair in {t[i:i + 2] for i in range(len(t) - 1)}:
                    posting = by_pair.get(pair)
                    if posting is None:
                        by_pair[pair] = [kid]
                    else:
                        posting.append(kid)
            self._by_pair = by_pair
        return self._by_pair

    @property
    def qualifiers(self) -> dict[str, int]:
        """Names of districts and streets (Chinese and default pinyin) that may lead a query: 市北台东."""
        if self._qualifiers is None:
            qualifiers: dict[str, int] = {}
            kinds = [u.kind for u in self.units]
            # a street must not shadow a district; initials only for the ten districts (sbtd = 市北 台东):
            # a street's two or three letters would stand for too many names
            for kind_wanted, types in (("district", "012"), ("street", "01")):
                for kid, t in enumerate(self.key_text):
                    ui = self.key_unit[kid]
                    if (kinds[ui] == kind_wanted and self.key_type[kid] in types and self.key_src[kid] in "01234"
                            and len(t) >= 2 and t not in qualifiers):
                        qualifiers[t] = ui
            self._qualifiers = qualifiers
        return self._qualifiers

    def warm(self) -> None:
        from rapidfuzz import fuzz  # noqa: F401  (imported once here, not on the first slip)

        self.by_char, self.by_pair, self.qualifiers, self.grams(), self.street_keys(), self.district_latin()  # noqa: B018
        letters = "abcdefghijklmnopqrstuvwxyz"
        for c in letters:  # the first two keys of every query: computed here, not while the operator types
            self.shortest(c)
            for c2 in letters:
                self.shortest(c + c2)
        for n in range(SHORT_PREFIX + 1, LONG_PREFIX + 1):  # and the crowded prefixes of three or four letters
            for prefix, size in Counter(t[:n] for t in self.latin_text if len(t) >= n).items():
                if size > LONG_SCAN:
                    self.shortest(prefix)

    def within(self, ui: int, scope: int) -> bool:
        """Whether unit ``ui`` is in the district or street ``scope`` (the only kinds a qualifier names)."""
        district, street = self.scope_of()[ui]
        return scope == district or scope == street

    def scope_of(self) -> list[tuple[int | None, int | None]]:
        """Each unit's district and street (unit indexes; None when it has none). One pass, cached."""
        if self._scope_of is None:
            kinds = [u.kind for u in self.units]
            out: list[tuple[int | None, int | None]] = []
            for ui in range(len(self.units)):
                district = street = None
                area = self.areas[ui]
                if area is not None and kinds[area] == "district":
                    district = area
                node: int | None = ui
                hops = 0
                while node is not None and hops < 64:  # a cycle is refused on import; stay bounded anyway
                    if street is None and kinds[node] == "street":
                        street = node
                    if district is None and kinds[node] == "district":
                        district = node
                    if district is not None and street is not None:
                        break
                    node = self.parents[node]
                    hops += 1
                out.append((district, street))
            self._scope_of = out
        return self._scope_of

    # --- search ---------------------------------------------------------------------------------
    def search(self, query: str) -> dict[int, tuple[float, str]]:
        """All matching units: unit index → (score, reason)."""
        q = normalize(query)
        if not q:
            return {}
        found: dict[int, tuple[float, str]] = {}
        self._plain(q, found)
        self._qualified(q, found)
        # typing slips only when nothing matched well: a slip scores at most 80, below any exact or
        # prefix match of a name, and scoring slips is the costly part of a lookup
        if not found or max(s for s, _ in found.values()) < FUZZY_WHEN_BELOW:
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
        if q in self.qualifiers:  # "shibeiqu" is the district itself, not 市北 + "qu"
            return
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
        typ = self.key_type[kid]
        if typ in ALT_READINGS:
            score -= ALT_READING_PENALTY
        if src == "core" and self.community[ui]:
            score -= COMMUNITY_CORE_PENALTY["zh" if typ == ZH else "latin"]
        if src != "name" and self.areas[ui] is not None and self.units[ui].kind in AREA_COPY_KINDS:
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
        if src == "path":
            return "部门·处室"
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
            scope_of = self.scope_of()
            out: dict[int, tuple[list[int], list[int]]] = {}
            for kid, ui in enumerate(self.key_unit):
                st = scope_of[ui][1]
                if st is not None:
                    out.setdefault(st, ([], []))[kid >= self.latin_start].append(kid)
            self._street_keys = out
        return self._street_keys

    def district_latin(self) -> dict[int, tuple[list[str], list[int]]]:
        """District → its units' latin keys, sorted (texts, key ids): a prefix is a bisect range of the
        district's own keys instead of a city-wide range filtered unit by unit (市北 zdjy, sbtd)."""
        if self._district_latin is None:
            scope_of = self.scope_of()
            out: dict[int, tuple[list[str], list[int]]] = {}
            start, texts, units = self.latin_start, self.key_text, self.key_unit
            for kid in range(start, len(texts)):  # the latin keys are sorted: each district's stay sorted
                d = scope_of[units[kid]][0]
                if d is not None:
                    pair = out.get(d)
                    if pair is None:
                        pair = out[d] = ([], [])
                    pair[0].append(texts[kid])
                    pair[1].append(kid)
            self._district_latin = out
        return self._district_latin

    def shortest(self, q: str) -> list[int]:
        """The SHORT_SCAN (one or two letters) or LONG_SCAN (three or four) shortest latin keys starting with
        ``q``, cached per prefix."""
        kids = self._shortest.get(q)
        if kids is None:
            texts, start = self.latin_text, self.latin_start
            lo = bisect_left(texts, q)
            hi = bisect_left(texts, q + "\x7f", lo)
            scan = SHORT_SCAN if len(q) <= SHORT_PREFIX else LONG_SCAN
            if hi - lo <= scan:
                kids = list(range(start + lo, start + hi))
            else:
                kids = sorted(range(start + lo, start + hi), key=lambda k: (len(texts[k - start]), k))[:scan]
            self._shortest[q] = kids
        return kids

    def _shortest_zh(self, q: str, posting: list[int]) -> list[int]:
        kids = self._shortest.get(q)
        if kids is None:
            texts = self.key_text
            kids = sorted(posting, key=lambda k: (len(texts[k]), k))[:ZH_SCAN]
            self._shortest[q] = kids
        return kids

    def _zh(self, q: str, found: dict, scope, prefix, penalty) -> None:
        pool = self._scope_keys(scope) if scope is not None else None
        if pool is not None:
            candidates = pool[0]
        elif len(q) >= 2:  # the rarest pair of characters: 南庄社区 → 南庄, not every key with 庄
            by_pair = self.by_pair
            postings = [by_pair.get(q[i:i + 2]) for i in range(len(q) - 1)]
            if not all(postings):
                return
            candidates = min(postings, key=len)
            if len(candidates) > ZH_SCAN:  # 社区, 街道: only the shortest keys can score near the top
                candidates = self._shortest_zh(q, candidates) if len(q) == 2 else candidates
        else:
            candidates = self.by_char.get(q, ())
            if len(candidates) > ZH_SCAN:
                candidates = self._shortest_zh(q, candidates)
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
            kids = [k for k in pool[1] if texts[k - start].startswith(q)]
        elif scope is not None:
            dtexts, dkids = self.district_latin().get(scope, ((), ()))
            lo = bisect_left(dtexts, q)
            kids = dkids[lo:min(bisect_left(dtexts, q + "\x7f", lo), lo + PREFIX_SCAN_CAP)]
        elif len(q) <= SHORT_PREFIX or q in self._shortest:
            kids = self.shortest(q)
        else:
            lo = bisect_left(texts, q)
            hi = bisect_left(texts, q + "\x7f", lo)
            kids = (self.shortest(q) if hi - lo > LONG_SCAN and len(q) <= LONG_PREFIX
                    else range(start + lo, start + min(hi, lo + PREFIX_SCAN_CAP)))
        n = len(q)
        for kid in kids:
            t = texts[kid - start]
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
        from rapidfuzz import fuzz, process

        grams = self.grams()
        cap = max(400, len(self.units) // 6)  # grams as common as "uan", "eng" pick nothing out
        postings = [p for p in (grams.get(g) for g in {q[i:i + 3] for i in range(len(q) - 2)})
                    if p and len(p) <= cap]
        if not postings:
            return
        postings.sort(key=len)
        chosen, total = [], 0
        for p in postings[:FUZZY_GRAMS]:  # the rarest grams, within a budget of keys to look at
            if chosen and total + len(p) > FUZZY_BUDGET:
                break
            chosen.append(p)
            total += len(p)
        if len(chosen) == 1:
            picked = chosen[0]
        else:
            counts: Counter[int] = Counter()
            for posting in chosen:
                counts.update(posting)
            need = max(1, len(chosen) // 2)
            picked = [kid for kid, c in counts.items() if c >= need]
        texts = self.key_text
        n = len(q)
        # rapidfuzz scores the whole pool in C: the key as a whole, and its start as long as the query
        full = process.extract(q, [texts[k] for k in picked], scorer=fuzz.ratio, score_cutoff=FUZZY_MIN,
                               limit=FUZZY_SCORED)
        heads = process.extract(q, [texts[k][:n] for k in picked], scorer=fuzz.ratio, score_cutoff=FUZZY_MIN + 2,
                                limit=FUZZY_SCORED)
        best: dict[int, float] = {}
        for _t, sim, i in full:
            best[i] = sim
        for _t, sim, i in heads:
            if len(texts[picked[i]]) > n + 1 and sim - 2 > best.get(i, 0):
                best[i] = sim - 2
        for i, sim in best.items():
            kid = picked[i]
            if sim >= FUZZY_MIN:
                how = "近似拼音" if self.key_src[kid] != DUTY else None
                self._offer(found, kid, sim * FUZZY_WEIGHT, None, "", how)
