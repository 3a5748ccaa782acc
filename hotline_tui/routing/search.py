"""Type-ahead over the taxonomy: Chinese substrings of any level, full pinyin, initials, keywords.

An empty query lists the most common categories (by the desk's own counts when known, else the shipped
weights). A longer text that names no category is read as a description (classify.Classifier).
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.routing.classify import Classifier
from hotline_tui.routing.taxonomy import Taxonomy
from hotline_tui.routing.text import compact, is_cjk

LEVEL_TEXT = ("一级分类", "二级分类", "分类")
LEVEL_DROP = (24.0, 12.0, 0.0)  # a match on level 1 says less than one on level 3


@dataclass(frozen=True)
class Hit:
    index: int
    score: float
    reason: str


def _text_score(q: str, t: str) -> float:
    if t == q:
        return 100.0
    if t.startswith(q):
        return 88.0 + 8.0 * len(q) / len(t)
    if q in t:
        return 78.0 + 8.0 * len(q) / len(t)
    return 0.0


def _latin_score(q: str, t: str, exact: float, prefix: float) -> float:
    if not t:
        return 0.0
    if t == q:
        return exact
    if t.startswith(q):
        return prefix + 8.0 * len(q) / len(t)
    return 0.0


class Searcher:
    def __init__(self, taxonomy: Taxonomy, classifier: Classifier):
        self.taxonomy = taxonomy
        self.classifier = classifier

    def common(self, limit: int, usage: dict[str, int] | None = None) -> list[Hit]:
        cats = self.taxonomy.categories
        use = usage or {}
        total = sum(use.values())
        order = sorted(range(len(cats)), key=lambda i: (-use.get(cats[i].label, 0), -cats[i].weight, i))[:limit]
        out = []
        for i in order:
            n = use.get(cats[i].label, 0)
            out.append(Hit(i, round(50.0 * n / total, 1) if total else cats[i].weight,
                           f"本台常用 {n} 次" if n else "常用分类"))
        return out

    def search(self, text: object, limit: int = 10, usage: dict[str, int] | None = None) -> list[Hit]:
        if limit <= 0:
            return []
        q = compact(text)
        if not q:
            return self.common(limit, usage)
        best: dict[int, tuple[float, str]] = {}

        def offer(i: int, score: float, reason: str) -> None:
            if score > best.get(i, (0.0, ""))[0]:
                best[i] = (score, reason)

        cjk = any(is_cjk(ch) for ch in q)
        for i, c in enumerate(self.taxonomy.categories):
            for level in (2, 1, 0):
                if cjk:
                    s = _text_score(q, c.path[level].lower())
                    if s:
                        offer(i, s - LEVEL_DROP[level], LEVEL_TEXT[level] + "「" + c.path[level] + "」")
                else:
                    s_py, s_ini = _latin_score(q, c.py[level], 96.0, 84.0), _latin_score(q, c.ini[level], 94.0, 80.0)
                    if s_py or s_ini:
                        how = "拼音" if s_py >= s_ini else "首字母"
                        offer(i, max(s_py, s_ini) - LEVEL_DROP[level], f"{how}「{c.path[level]}」")
            if cjk:
                for k in c.keywords:
                    s = _text_score(q, k.lower())
                    if s:
                        offer(i, s - 20.0, f"关键词「{k}」")
                if len(q) > len(c.path[2]) and c.path[2] in q:
                    offer(i, 76.0, f"分类「{c.path[2]}」")
            else:
                for k, py, ini in zip(c.keywords, c.kw_py, c.kw_ini):
                    s = max(_latin_score(q, py, 76.0, 66.0), _latin_score(q, ini, 74.0, 62.0))
                    if s:
                        offer(i, s, f"关键词「{k}」")
        if cjk and len(best) < limit:
            for g in self.classifier.guess(q, limit):
                offer(g.index, min(60.0, 30.0 + 5.0 * g.score), "描述含「" + "」「".join(g.words[:2]) + "」")
        cats = self.taxonomy.categories
        ranked = sorted(best.items(), key=lambda kv: (-round(kv[1][0], 1), -cats[kv[0]].weight, kv[0]))[:limit]
        return [Hit(i, round(s, 1), r) for i, (s, r) in ranked]
