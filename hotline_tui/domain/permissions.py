"""Who may do what and see what. One place, so roles and permissions build on it.

Roles: operator (接线员), cadre (a visiting section-chief cadre on a shadow shift, 接线体悟),
supervisor (督办). Unit-side actions (claim, return, progress, reply, extend) are recorded at the desk
on behalf of the unit that reports them.
"""

from __future__ import annotations

# The centre's reviews (return, extension, reply) are the operators' work; these are the supervisors'.
SUPERVISOR_ONLY = frozenset({"supervise", "list", "escalate", "report_publish"})  # report_publish: 月通报
CADRE_ACTIONS = frozenset({"claim", "progress", "reply", "note", "extend", "return"})
REVEAL_ROLES = frozenset({"operator", "supervisor"})  # reveal a caller's full number, with a reason: never a cadre


def role_may(role: str, action: str) -> bool:
    if role == "supervisor":
        return True
    if role == "cadre":
        return action in CADRE_ACTIONS
    return action not in SUPERVISOR_ONLY


def can_see_caller(viewer_role: str, viewer_actor: str, ticket) -> bool:
    """Whether the viewer sees the caller's full number and name.

    Only the operator who registered the call sees them in full; a caller who asked for confidentiality
    (保密) is never shown to anyone else, and never to a unit's cadre.
    """
    if viewer_role == "operator" and viewer_actor and viewer_actor == ticket.registered_by:
        return True
    return False
