"""Routing a new request: the request taxonomy (诉求分类), category search and suggestion, unit suggestion.

No Textual and no pinyin at run time: pinyin was computed by scripts/build_categories.py.

    from hotline_tui.routing import load_taxonomy, Router
    router = Router(load_taxonomy(), directory)
    router.suggest_units("台东三路烧烤摊占道经营", place="370203021")
"""

from hotline_tui.routing.router import Router
from hotline_tui.routing.taxonomy import Category, Taxonomy, load_taxonomy

__all__ = ["Category", "Router", "Taxonomy", "load_taxonomy"]
