"""Which categories a description points to: the keywords (and level names) it contains, weighed by length."""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.routing.taxonomy import Taxonomy

NAME_BONUS = 1.5  # the level-3 name itself in the text
PRIOR = 0.02  # per weight point: breaks ties towards the common category


def keyword_weight(k: str) -> float:
    n = len(k)
    return 0.6 if n == 1 else 1.0 if n == 2 else 1.6 if n == 3 else 2.2 + 0.2 * min(n - 4, 4)


@dataclass(frozen=True)
class Guess:
    index: int  # position in taxonomy.categories
    score: float
    words: tuple[str, ...]  # the keywords found, longest first


class Classifier:
    """Keyword → categories table built once per taxonomy; ``guess`` is a scan of the text per keyword."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        table: dict[str, dict[int, float]] = {}
        for i, c in enumerate(taxonomy.categories):
            words = {k.lower(): keyword_weight(k) for k in c.keywords}
            words[c.path[2].lower()] = keyword_weight(c.path[2]) + NAME_BONUS
            for k, w in words.items():
                table.setdefault(k, {})[i] = max(w, table.get(k, {}).get(i, 0.0))
        # longest first, so a reason names 拖欠工资 before 工资
        self.keywords = sorted(table.items(), key=lambda kv: (-len(kv[0]), kv[0]))

    def guess(self, text: str, limit: int = 3) -> list[Guess]:
        """Best categories for normalized ``text`` (see text.normalize), best first; [] when nothing matches."""
        if not text or limit <= 0:
            return []
        scores: dict[int, float] = {}
        found: dict[int, list[str]] = {}
        covered: list[str] = []
        for k, cats in self.keywords:
            if k not in text:
                continue
            # a short word inside a longer one already found counts for little (工资 in 拖欠工资)
            inner = any(k in longer for longer in covered)
            covered.append(k)
            for i, w in cats.items():
                scores[i] = scores.get(i, 0.0) + (w * 0.35 if inner else w)
                found.setdefault(i, []).append(k)
        cats = self.taxonomy.categories
        ranked = sorted(scores, key=lambda i: (-(scores[i] + PRIOR * cats[i].weight), i))[:limit]
        return [Guess(i, scores[i] + PRIOR * cats[i].weight, tuple(found[i])) for i in ranked]
