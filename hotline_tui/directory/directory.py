"""The unit directory: units by code, their tree and paths, and ranked lookup."""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from collections.abc import Mapping

from hotline_tui.directory.index import Index
from hotline_tui.directory.model import LEVEL_RANK, DutyCard, Match, Unit

PATH_SEP = " › "
# A lookup whose best match scores below this found nothing that matches well: what it found merely shares
# characters or pinyin syllables with the query (a typing slip scores 0.8 × its similarity, a Chinese key
# holding the query at least 76). Measured on tests/data/lookup_eval.tsv (tests/test_lookup_eval.py): the
# right first match of every one of the 448 queries naming a unit scores at least 68.6 (a slip), the first
# match of the 29 queries naming nothing in the directory at most 63.9 (a village sounding alike).
GOOD_SCORE = 66.0
ROUTES = 3  # catalogue routes offered when nothing matches well
RECENT = 1024  # lookups remembered: an operator's first keys (t, ta, s, sh …) come back all day
KEPT = 30  # each remembered lookup keeps at least this many results


class Directory:
    """Read-only after load. ``lookup`` is meant to run on every key press."""

    def __init__(self, units: list[Unit], flat_index: dict, chars: dict[str, str],
                 level_cards: dict | None = None, source: str = "", catalogue: list[dict] | None = None):
        self.source = source
        self._catalogue_items = catalogue or []
        self._catalogue = None
        self._units = units
        self._pos = {u.code: i for i, u in enumerate(units)}
        self._children: dict[str, list[str]] = {}
        for u in units:
            if u.parent is not None:
                self._children.setdefault(u.parent, []).append(u.code)
        self._level_cards = {k: DutyCard(**v) for k, v in (level_cards or {}).items()}
        parents = [self._pos.get(u.parent) if u.parent else None for u in units]
        areas = [self._pos.get(u.area) if u.area else None for u in units]
        self._index = Index(units, flat_index, chars, parents, areas)
        self._paths: dict[str, str] = {}
        self._recent: OrderedDict[str, tuple[int, tuple[Match, ...]]] = OrderedDict()
        self._recent_usage: Mapping[str, int] | None = None
        self._recent_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self):
        return iter(self._units)

    def get(self, code: str) -> Unit | None:
        i = self._pos.get(code)
        return None if i is None else self._units[i]

    def children(self, code: str) -> list[Unit]:
        return [self._units[self._pos[c]] for c in self._children.get(code, ())]

    def subtree(self, code: str) -> tuple[str, ...]:
        """The unit's code and the codes of every unit under it (empty for an unknown code)."""
        if code not in self._pos:
            return ()
        out, todo = [], [code]
        while todo:
            current = todo.pop()
            out.append(current)
            todo.extend(self._children.get(current, ()))
        return tuple(out)

    def ancestors(self, code: str) -> list[Unit]:
        """From the root down to the unit's parent."""
        out: list[Unit] = []
        unit = self.get(code)
        while unit is not None and unit.parent is not None:
            unit = self.get(unit.parent)
            if unit is not None:
                out.append(unit)
        return out[::-1]

    def path_text(self, code: str) -> str:
        """青岛市 › 市北区 › 台东街道 (empty for an unknown code)."""
        text = self._paths.get(code)
        if text is None:
            unit = self.get(code)
            if unit is None:
                return ""
            text = PATH_SEP.join([a.name for a in self.ancestors(code)] + [unit.name])
            self._paths[code] = text
        return text

    def dispatch_code(self, code: str) -> str:
        """The unit a request goes to when ``code`` is chosen: a section's department, else the unit itself."""
        unit = self.get(code)
        while unit is not None and unit.is_section and unit.parent is not None:
            unit = self.get(unit.parent)
        return unit.code if unit is not None else code

    @property
    def catalogue(self):
        """The dispatch catalogue (派单目录) of this directory (built on first use)."""
        if self._catalogue is None:
            from hotline_tui.directory.catalogue import Catalogue

            self._catalogue = Catalogue.from_document(self, self._catalogue_items)
        return self._catalogue

    def routes(self, query: str, limit: int = ROUTES) -> list[Match]:
        """The dispatch catalogue's units for the duty keywords inside ``query`` (烧烤店油烟太大 → 派单目录「油烟」
        市城市管理局): what the lookup offers when no unit matches the query well."""
        from hotline_tui.directory.index import normalize

        text = normalize(query) if isinstance(query, str) else ""
        if not text:
            return []
        out = []
        for code, words in list(self.catalogue.find(text).items())[:limit]:
            u = self.get(code)
            out.append(Match(code=u.code, name=u.name, path=self.path_text(u.code), kind=u.kind, level=u.level,
                             score=round(100.0 * len(words[0]) / len(text), 1), reason=f"派单目录「{words[0]}」",
                             dispatch=self.dispatch_code(u.code), route=True))
        return out

    def answer(self, query: str, limit: int = 10, usage: Mapping[str, int] | None = None) -> list[Match]:
        """``lookup``, and when its first match is not good, the catalogue's routes in front of it (each
        ``route``); a first match that is neither good nor a route says that nothing matched well."""
        matches = self.lookup(query, limit, usage)
        if matches and matches[0].good:
            return matches
        routes = self.routes(query)
        return (routes + matches)[:max(limit, len(routes))] if routes else matches

    def card(self, code: str) -> DutyCard:
        """The unit's duty card, or the generic card of its level when it has none of its own."""
        unit = self.get(code)
        if unit is None:
            return DutyCard()
        if unit.card.is_empty():
            return self._level_cards.get(unit.level, DutyCard())
        return unit.card

    def warm(self) -> None:
        """Build the lazily built parts of the index now (call from a worker, not the UI thread)."""
        self._index.warm()

    def lookup(self, query: str, limit: int = 10, usage: Mapping[str, int] | None = None) -> list[Match]:
        """Ranked by match quality, then level (lower first: 小事不出街道), then usage; never raises on text.

        ``usage`` (unit code → how often this desk's tickets used it) breaks ties between matches of the
        same quality and level; where it decided the order the reason says so (本台常用 41 次).
        The last RECENT answers are remembered for the same ``usage`` mapping (the same object: the desk
        passes its cached counts; other counts start afresh), each worked out to at least KEPT results so
        that one answer serves every shorter limit.
        """
        if not isinstance(query, str) or limit <= 0:
            return []
        with self._recent_lock:
            if usage is not self._recent_usage:
                self._recent.clear()
                self._recent_usage = usage
            hit = self._recent.get(query)
            if hit is not None and (hit[0] >= limit or len(hit[1]) < hit[0]):
                self._recent.move_to_end(query)
                return list(hit[1][:limit])
        worked = max(limit, KEPT)
        out = self.rank(query, worked, usage)
        with self._recent_lock:
            if usage is self._recent_usage:
                self._recent[query] = (worked, tuple(out))
                if len(self._recent) > RECENT:
                    self._recent.popitem(last=False)
        return out[:limit]

    def prime(self, usage: Mapping[str, int] | None = None) -> int:
        """Work out the answers to every query of one or two latin letters (the first keys of most queries)
        ahead, for ``usage``; call from a worker. Returns how many have results."""
        letters = "abcdefghijklmnopqrstuvwxyz"
        found = 0
        for a in letters:
            found += bool(self.lookup(a, KEPT, usage))
            for b in letters:
                found += bool(self.lookup(a + b, KEPT, usage))
        return found

    def rank(self, query: str, limit: int = 10, usage: Mapping[str, int] | None = None) -> list[Match]:
        """``lookup`` worked out afresh, never from memory (what a benchmark times)."""
        if not isinstance(query, str) or limit <= 0:
            return []
        found = self._index.search(query)
        if not found:
            return []
        units = self._units
        use = usage or {}

        def order(item):
            ui, (score, _reason) = item
            u = units[ui]
            return (-round(score), LEVEL_RANK.get(u.level, 9), -use.get(u.code, 0), -score, u.code)

        keyed = [(order(item), item) for item in found.items()]
        best = heapq.nsmallest(limit, keyed) if len(keyed) > 4 * limit else sorted(keyed)[:limit]
        fewest: dict[tuple, int] = {}  # (quality, level) → the least use among the matches in that tie
        if use:
            for key, _item in keyed:
                n = -key[2]
                if n < fewest.get(key[:2], n + 1):
                    fewest[key[:2]] = n
        out = []
        for key, (ui, (score, reason)) in best:
            u = units[ui]
            n = -key[2]
            if n and n > fewest.get(key[:2], n):
                reason = f"{reason} · 本台常用 {n} 次"
            out.append(Match(code=u.code, name=u.name, path=self.path_text(u.code), kind=u.kind, level=u.level,
                             score=score, reason=reason, good=score >= GOOD_SCORE,
                             dispatch=self.dispatch_code(u.code) if u.is_section else u.code))
        return out
