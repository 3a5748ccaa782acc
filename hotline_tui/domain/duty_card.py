"""A duty card a unit's cadre publishes (职责清单、工作流程、所需材料、办理时限、联系方式): what is checked before
it is written. Pure: the facade (facade/cards.py) reads the current card and writes the event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hotline_tui.domain.calendar import CHINA
from hotline_tui.domain.text import clean_text
from hotline_tui.errors import DomainError, InputError

CARD_FIELDS = ("duties", "workflow", "materials", "time_limit", "contact")  # as directory.model.CARD_FIELDS
CARD_LABELS = {"duties": "职责清单", "workflow": "工作流程", "materials": "所需材料", "time_limit": "办理时限",
               "contact": "联系方式"}
FIELD_LIMITS = {"duties": 2000, "workflow": 2000, "materials": 2000, "time_limit": 200, "contact": 200}


def clean_card(raw: Any) -> dict[str, str]:
    """The five fields, each stripped and checked (text, no control characters or escapes, bounded); a field
    not given is empty; a card with every field empty is refused; a field the card has not is refused."""
    if not isinstance(raw, dict):
        raise InputError(f"a duty card is a set of fields, not {type(raw).__name__}")
    unknown = sorted(set(raw) - set(CARD_FIELDS))
    if unknown:
        raise InputError(f"a duty card has no field {', '.join(map(repr, unknown))} (fields: {', '.join(CARD_FIELDS)})")
    out: dict[str, str] = {}
    for name in CARD_FIELDS:
        where = f"{CARD_LABELS[name]} ({name})"
        value = clean_text(raw.get(name, ""), where, kind="text", multiline=name not in ("time_limit", "contact"))
        if len(value) > FIELD_LIMITS[name]:
            raise InputError(f"{where} is {len(value)} characters long; at most {FIELD_LIMITS[name]} are allowed")
        out[name] = value
    if not any(out.values()):
        raise InputError("the duty card is empty: fill in at least one of " + "、".join(CARD_LABELS.values()))
    return out


def check_version(based_on: int | None, current: dict[str, Any] | None) -> int:
    """The version a publication gets (the current one + 1); refused when it was based on an older one
    (someone published meanwhile). ``current``: {version, published_by, published_ms} or None (never published)."""
    now = int(current["version"]) if current else 0
    if based_on is not None:
        if isinstance(based_on, bool) or not isinstance(based_on, int) or based_on < 0:
            raise InputError(f"the card version must be a whole number 0 or more, not {based_on!r}")
        if based_on != now:
            if current is None or based_on > now:
                raise DomainError(f"the card is at version {now}, not {based_on}: open it again")
            when = dt.datetime.fromtimestamp(current["published_ms"] / 1000, CHINA)
            raise DomainError(f"the card was updated by {current['published_by']} at {when:%Y-%m-%d %H:%M}"
                              f" (version {now}) since you opened it (version {based_on}): open it again and redo"
                              f" your changes")
    return now + 1
