"""The routing part's one object: taxonomy + directory, with the learned counts set when they are read."""

from __future__ import annotations

from hotline_tui.routing.classify import Classifier
from hotline_tui.routing.places import Places, Where
from hotline_tui.routing.search import Searcher
from hotline_tui.routing.taxonomy import Taxonomy, split_path
from hotline_tui.routing.text import normalize
from hotline_tui.routing.units import rank_units

SUGGEST_CATEGORIES = 3  # categories a unit suggestion weighs when none is given


class Router:
    """Read-only after construction except ``learned``; every method takes any text and never raises on it."""

    def __init__(self, taxonomy: Taxonomy, directory, learned=None):
        self.taxonomy = taxonomy
        self.directory = directory
        self.classifier = Classifier(taxonomy)
        self.searcher = Searcher(taxonomy, self.classifier)
        self.places = Places(directory)
        self.duties = directory.catalogue  # the dispatch catalogue (派单目录)
        self.learned = learned

    # --- categories -------------------------------------------------------------------------------
    def _hits(self, pairs) -> list[dict]:
        cats = self.taxonomy.categories
        return [{"path": list(cats[i].path), "label": cats[i].label, "score": round(score, 1), "reason": reason}
                for i, score, reason in pairs]

    def search_categories(self, text: object, limit: int = 10) -> list[dict]:
        usage = self.learned.categories if self.learned is not None else None
        return self._hits((h.index, h.score, h.reason) for h in self.searcher.search(text, _limit(limit), usage))

    def suggest_categories(self, description: object, limit: int = 3) -> list[dict]:
        guesses = self.classifier.guess(normalize(description), _limit(limit))
        return self._hits((g.index, 10.0 * g.score, "含「" + "」「".join(g.words[:3]) + "」") for g in guesses)

    # --- units ------------------------------------------------------------------------------------
    def where(self, place: object, text: str) -> Where:
        if isinstance(place, str) and place.strip():
            found = self.places.of_code(place.strip())
            if found.street or found.district:
                return found
        return self.places.in_text(text)

    def categories_for(self, category: object, text: str) -> list[tuple]:
        """[(Category, share)]: the given category (a partial path spreads over its leaves, led by the text),
        else the text's best guesses."""
        cats = self.taxonomy.categories
        given = self.taxonomy.under(split_path(category)) if category else []
        guesses = self.classifier.guess(text, len(cats) if given else SUGGEST_CATEGORIES)
        if given:
            allowed = {c.path for c in given}
            led = [(cats[g.index], g.score) for g in guesses if cats[g.index].path in allowed][:SUGGEST_CATEGORIES]
            if len(given) == 1 or not led:
                led = [(c, c.weight) for c in sorted(given, key=lambda c: -c.weight)[:SUGGEST_CATEGORIES]]
        else:
            led = [(cats[g.index], g.score) for g in guesses]
        total = sum(s for _, s in led)
        return [(c, s / total) for c, s in led] if total > 0 else []

    def suggest_units(self, description: object, place: object = None, category: object = None,
                      limit: int = 3) -> list[dict]:
        text = normalize(description)
        where = self.where(place, text)
        if not text and not category and where == Where():
            return []
        cats = self.categories_for(category, text)
        hits = self.duties.find(text, where.district, where.street) if text else {}
        return rank_units(self.directory, where, cats, hits, self.learned, self.taxonomy.district_departments,
                          _limit(limit))


def _limit(limit: object) -> int:
    return max(0, min(int(limit), 200)) if isinstance(limit, int) and not isinstance(limit, bool) else 3
