"""What intake needs to know while the caller talks: their earlier requests and similar open ones.

"Open" here is 未办结: every state but closed, transferred and merged (a request waiting for its callback
can still be called about, added to, or merged into). Every method takes any text, never raises on it and
returns plain values. A viewer who may not see callers (a visiting cadre) never learns a confidential (保密)
caller's requests from a phone number, and sees phone numbers masked.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from typing import Any

from hotline_tui.domain.phone import mask_phone, parse_phone
from hotline_tui.domain.vocabulary import SATISFACTIONS, STATES, TRANSFER_TARGETS

TEXT_CHARS = 300  # the part of a description compared: enough for the matter, bounded cost on huge text
SIMILAR_CAP = 400  # unfinished requests around a place scored per lookup, newest first
SIMILAR_TEXT_MIN = 30  # text similarity that alone makes a request similar
REPEAT_TEXT_MIN = 25  # lower for the same caller: their own earlier words
MAX_DAYS = 3650

_NOT_TEXT = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# words nearly every request has: they say nothing about the matter (cut out before the bigrams are taken,
# so that no bigram bridges them either)
_STOP_WORDS = re.compile(
    "来电人|来电|市民|诉求人|反映|请求|要求|希望|相关部门|有关部门|部门|尽快|处理|解决|问题|情况|严重|影响|一下|现在|目前"
    "|我们|你们|他们|已经|多次|一直|没有|无人|不管|帮助|协调|查处|表示|咨询")
_FILLER_CHARS = frozenset("的了是在有和也很都就还又把被给到我你他她它这那个们吗呢吧啊")

Features = tuple[frozenset[str], frozenset[str]]


def text_features(text: str) -> Features:
    """The character bigrams and the characters of a text's first TEXT_CHARS, stop words cut out."""
    s = _STOP_WORDS.sub(" ", _NOT_TEXT.sub(" ", text[:TEXT_CHARS].lower()))
    grams: set[str] = set()
    for run in s.split():
        if len(run) == 1:
            grams.add(run)
        grams.update(map(operator.add, run, run[1:]))
    return frozenset(grams), frozenset(s) - _FILLER_CHARS - {" "}


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    common = len(a & b)
    if not common:
        return 0.0
    return 0.7 * common / min(len(a), len(b)) + 0.3 * 2 * common / (len(a) + len(b))


@functools.lru_cache(maxsize=4096)
def _summary_features(summary: str) -> Features:
    """A stored summary's features: the same open requests are scored again on every key the operator types."""
    return text_features(summary)


@functools.lru_cache(maxsize=64)
def _any_of(grams: frozenset[str]) -> re.Pattern:
    """One pattern for "shares at least one bigram": a single C-level scan per text."""
    return re.compile("|".join(re.escape(g) for g in sorted(grams)))


def text_similarity(query: Features, other: str) -> int:
    """0-100. Chinese has no word breaks: character bigrams carry the matter (漏水, 占道, 噪音) and
    single characters catch the same matter in other words (夜间施工 / 半夜施工). Each part is how much of
    the shorter text the other shares, blended with their overlap as a whole. Texts that share no bigram
    score 0 (checked first, on the raw text: most requests around a place are about something else)."""
    if not query[0] or not isinstance(other, str):
        return 0
    if not _any_of(query[0]).search(other[:TEXT_CHARS].lower()):
        return 0
    return _score(query, other)


def _score(query: Features, other: str) -> int:
    grams, chars = _summary_features(other[:TEXT_CHARS])
    if not grams:
        return 0
    return round(100 * (0.6 * _overlap(query[0], grams) + 0.4 * _overlap(query[1], chars)))


def _sharing_a_bigram(query: Features, texts: list[str]) -> set[int]:
    """Which of ``texts`` share at least one bigram with the query: one regex scan over them all, jumping
    to the next text after each hit (most requests around a place are about something else)."""
    if not query[0] or not texts:
        return set()
    pattern = _any_of(query[0])
    texts = [t.lower() for t in texts]  # one by one: lower() may change a text's length (İ)
    starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    joined = "\n".join(texts)
    hits: set[int] = set()
    pos = 0
    while (m := pattern.search(joined, pos)) is not None:
        i = bisect.bisect_right(starts, m.start()) - 1
        hits.add(i)
        if i + 1 >= len(starts):
            break
        pos = starts[i + 1]
    return hits


def _category_prefix(cat: list[str]) -> str | None:
    """The stored category text's start for the same category at level 2 ('a › b'), if there are two levels."""
    return f"{cat[0]} › {cat[1]}" if len(cat) >= 2 else None


def _same_prefix(prefix: str | None, stored: str | None) -> bool:
    return prefix is not None and bool(stored) and (stored == prefix or stored.startswith(prefix + " ›"))


def _category(value: Any) -> list[str]:
    if isinstance(value, str):
        for sep in ("›", ">", "/"):
            value = value.replace(sep, "\x00")
        value = value.split("\x00")
    if not isinstance(value, (list, tuple)):
        return []
    return [p.strip() for p in value if isinstance(p, str) and p.strip()][:3]


def _int(value: Any, default: int, low: int, high: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return max(low, min(high, n))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _code(value: Any) -> str:
    """A unit code as given, or '' for anything that cannot be one (it goes to SQLite as a parameter)."""
    code = _text(value).strip()
    if not 0 < len(code) <= 64 or not code.isprintable():
        return ""
    try:
        code.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return ""
    return code


def outcome_text(row: dict[str, Any]) -> str:
    """How a request ended, from its callback and handling: 满意·已解决, 直接答复, 转 110 报警, '' while open."""
    state = row.get("state")
    if row.get("satisfaction"):
        sat = SATISFACTIONS.get(row["satisfaction"], str(row["satisfaction"]))
        return f"{sat}·{'已解决' if row.get('resolved') else '未解决'}"
    if state == "transferred":
        return "转" + TRANSFER_TARGETS.get(row.get("transfer_to") or "", "办")
    if state == "merged":
        return f"并入 {row.get('merged_into') or ''}".strip()
    if state == "closed":
        return "直接答复" if row.get("mode") == "answer" else "已办结"
    if state == "awaiting_callback":
        return "已答复，待回访"
    return ""


class HistoryPart:
    """Mixed into ``services.Desk``."""

    # --- who may see what ----------------------------------------------------------------------
    def _sees_callers(self) -> bool:
        """Operators and supervisors work for the centre, which holds a confidential caller's identity; a
        visiting cadre sits for a unit, and a unit never learns it (see permissions.can_see_caller: the history
        shows no names or numbers, only which requests a number made)."""
        from hotline_tui.domain.permissions import role_may

        return role_may(self.settings.role, "caller_history")

    def _unit_label(self, code: str | None) -> str:
        if not code:
            return ""
        try:
            unit = self.directory.get(code)
        except Exception:  # the directory is optional for showing history
            return code
        return unit.name if unit is not None else code

    def _place_scope(self, place: str) -> tuple[list[str], dict[str, str]]:
        """The place codes "around" ``place`` and how each relates to it (同社区 / 同街道 / 同地点).

        A community stands for its street: the street and all its communities. A street: itself and its
        communities. A district: itself and its streets (requests registered at one of its communities are
        not scanned: a district has too many to score while the operator types). Anything else: itself."""
        try:
            unit = self.directory.get(place)
            if unit is None:
                return [place], {place: "同地点"}
            street = None
            if unit.level == "community" and unit.parent:
                street = self.directory.get(unit.parent)
            elif unit.level in ("street", "district"):
                street = unit
            if street is None:
                return [place], {place: "同地点"}
            same = "同社区" if unit.level == "community" else "同地点"
            around = "同街道" if street.level == "street" else "同区"
            scope = {street.code: around}
            for child in self.directory.children(street.code):
                scope[child.code] = around
            scope[place] = same
            return list(scope), scope
        except Exception:
            return [place], {place: "同地点"}

    # --- the caller's history ------------------------------------------------------------------
    def caller_history(self, phone: str, limit: int = 10) -> dict[str, Any]:
        """The caller's earlier requests, as the side panel shows them while the number is typed.

        {phone (normalised; masked for a viewer who may not see callers), count (all requests ever),
        open_count (未办结), items (newest first, at most ``limit``: {number, registered_ms, state, state_text,
        summary, place_name, lead_unit_name, category, outcome}), last_outcome (how the newest request that
        is no longer being handled ended, '' when none)}. A number that is not a whole mobile or landline
        number gives the empty result."""
        empty: dict[str, Any] = {"phone": "", "count": 0, "open_count": 0, "items": [], "last_outcome": ""}
        parsed = parse_phone(phone) if isinstance(phone, str) else None
        if parsed is None:
            return empty
        from hotline_tui.store import intake_queries as q

        limit = _int(limit, 10, 0, 200)
        hide = not self._sees_callers()
        caller = self.caller_key_of(parsed.number)  # the keyed hash: the store holds no number to look up
        if caller is None:  # no key on this desk: nothing was sealed here, so no history to find
            return {**empty, "phone": parsed.number if not hide else mask_phone(parsed.number)}
        with self.store.read() as conn:
            count, open_count = q.caller_counts(conn, caller, hide)
            rows = q.caller_items(conn, caller, limit, hide) if count and limit else []
            ended = next((r for r in rows if r["state"] in ("awaiting_callback", "visited", "closed", "transferred", "merged")), None)
            if ended is None and count > len(rows) and count - open_count:
                ended = q.caller_last_ended(conn, caller, hide)
        items = [{
            "number": r["number"],
            "registered_ms": r["registered_ms"],
            "state": r["state"],
            "state_text": STATES.get(r["state"], r["state"]),
            "summary": r["summary"] or "",
            "place_name": self._unit_label(r["place"]),
            "lead_unit_name": self._unit_label(r["lead_unit"]),
            "category": r["category"] or "",
            "outcome": outcome_text(r),
        } for r in rows]
        return {"phone": parsed.number if not hide else mask_phone(parsed.number), "count": count,
                "open_count": open_count, "items": items, "last_outcome": outcome_text(ended) if ended else ""}

    def repeat_candidates(self, phone: str, category: list[str] | None = None, place: str | None = None,
                          description: str = "") -> list[dict[str, Any]]:
        """This caller's open requests on the same matter, best first: the 重复件 flag. The operator adds
        the call to one with ``add_call`` instead of registering a new request.

        Same matter: the same category at level 2, or the same street, or similar text. Each is
        {number, registered_ms, state, state_text, summary, place_name, category, score (0-100), reason}.
        Nothing to compare (no category, place or description) gives []."""
        parsed = parse_phone(phone) if isinstance(phone, str) else None
        if parsed is None:
            return []
        cat = _category(category)
        place = _code(place)
        query = text_features(_text(description))
        if not cat and not place and not query[0]:
            return []
        from hotline_tui.store import intake_queries as q

        caller = self.caller_key_of(parsed.number)
        if caller is None:
            return []
        with self.store.read() as conn:
            rows = q.caller_unfinished(conn, caller, not self._sees_callers())
        if not rows:
            return []
        scope = self._place_scope(place)[1] if place else {}
        out = []
        for r in rows:
            reasons, score = [], 0
            if _same_prefix(_category_prefix(cat), r["category"]):
                reasons.append(f"同类「{cat[1]}」")
                score += 40
            if r["place"] and r["place"] in scope:
                reasons.append(scope[r["place"]])
                score += 20 if scope[r["place"]] in ("同社区", "同地点") else 15
            sim = text_similarity(query, r["summary"] or "")
            if sim >= REPEAT_TEXT_MIN:
                reasons.append(f"描述相似 {sim}")
            if not reasons:
                continue
            score = min(100, score + round(0.6 * sim))
            out.append(self._candidate(r, score, " · ".join(reasons)))
        out.sort(key=lambda c: (-c["score"], -c["registered_ms"], c["number"]))
        return out

    def similar_open(self, description: str, place: str | None = None, category: list[str] | None = None,
                     days: int | None = None, limit: int = 5) -> list[dict[str, Any]]:
        """Open requests like this one around its place, best first, so the operator can merge (并单)
        rather than duplicate. Around: the same street (the place's street and all its communities; see
        ``_place_scope``), registered within ``days`` (default: the config's ``[rules] similar_days``).
        Like: the same category at level 2 and/or similar text (character bigrams of the summary).
        Each is {number, registered_ms, state, state_text, summary, place_name, score (0-100), reason}.
        Without a place there is no street to look in: []."""
        place = _code(place)
        if not place:
            return []
        cat = _category(category)
        query = text_features(_text(description))
        if not query[0] and len(cat) < 2:
            return []
        limit = _int(limit, 5, 0, 100)
        if not limit:
            return []
        days = _int(days, self.settings.similar_days, 1, MAX_DAYS) if days is not None else self.settings.similar_days
        since = self._now() - days * 86_400_000
        codes, scope = self._place_scope(place)
        from hotline_tui.store import intake_queries as q

        with self.store.read() as conn:
            rows = q.unfinished_in_places(conn, codes, since, SIMILAR_CAP)
        prefix = _category_prefix(cat)
        summaries = [r[3] or "" for r in rows]
        sharing = _sharing_a_bigram(query, summaries)
        out = []
        for i, (number, registered_ms, state, summary, code, stored_cat) in enumerate(rows):
            same_cat = _same_prefix(prefix, stored_cat)
            sim = _score(query, summaries[i]) if i in sharing else 0
            if sim < SIMILAR_TEXT_MIN and not same_cat:
                continue
            near = scope.get(code, "")
            reasons = [near] + ([f"同类「{cat[1]}」"] if same_cat else []) + ([f"描述相似 {sim}"] if sim >= SIMILAR_TEXT_MIN else [])
            score = (10 if near in ("同社区", "同地点") else 5) + (30 if same_cat else 0) + round(0.6 * sim)
            out.append((min(100, score), -registered_ms, number, i, reasons))
        out.sort(key=lambda c: (-c[0], c[1], c[2]))  # best score, then newest, then number
        found = []
        for score, _, _, i, reasons in out[:limit]:
            number, registered_ms, state, summary, code, _ = rows[i]
            found.append({"number": number, "registered_ms": registered_ms, "state": state,
                          "state_text": STATES.get(state, state), "summary": summary or "",
                          "place_name": self._unit_label(code), "score": score,
                          "reason": " · ".join(x for x in reasons if x)})
        return found

    def _candidate(self, r: dict[str, Any], score: int, reason: str) -> dict[str, Any]:
        return {"number": r["number"], "registered_ms": r["registered_ms"], "state": r["state"],
                "state_text": STATES.get(r["state"], r["state"]), "summary": r["summary"] or "",
                "place_name": self._unit_label(r["place"]), "category": r["category"] or "",
                "score": score, "reason": reason}
