"""The role a person works in at a desk.

A user's own role comes from the ``~user`` stream (set by an admin). A desk may pin a role in its config
(``[desk] role`` or HOTLINE_ROLE): it applies when it is the person's role or one below it, so a supervisor at
an operator's desk works as an operator. It never raises a role: a config that claims ``supervisor`` for an
operator is ignored, and the person is told why.
"""

from __future__ import annotations

from hotline_tui.domain.permissions import ADMIN, CADRE, OPERATOR, SUPERVISOR

# the roles a person of each role may work in (their own first)
MAY_WORK_AS = {
    ADMIN: (ADMIN, SUPERVISOR, OPERATOR),
    SUPERVISOR: (SUPERVISOR, OPERATOR),
    OPERATOR: (OPERATOR,),
    CADRE: (CADRE,),
}


def effective_role(own: str, pinned: str | None) -> tuple[str, str | None]:
    """(the role to work in, a notice or None). ``pinned`` is the desk's configured role, None when unset."""
    if not pinned or pinned == own:
        return own, None
    if pinned in MAY_WORK_AS.get(own, (own,)):
        return pinned, f"this desk is pinned to {pinned}: working as {pinned} (your role: {own})"
    return own, f"the desk's configured role {pinned} is ignored: a config cannot raise a {own}'s role"
