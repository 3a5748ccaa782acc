"""Who may do what and see what: ONE table, checked in the core on every action, query and export.

Roles: operator (接线员), cadre (a visiting section-chief cadre on a shadow shift, 接线体悟),
supervisor (督办), admin (系统管理员). Unit-side actions (claim, return, progress, reply, extend) are recorded
at the desk on behalf of the unit that reports them, so a cadre may record them for their own unit.

An admin administers users and also does the supervisors' work (a small centre's head of the desk is often
both; keeping them apart would make the first admin unable to publish the month or read the audit).

Add a permission with one line in ``PERMISSIONS``: ``"action": ROLES_THAT_MAY``. An action or capability the
table does not name is refused to everyone (a new one is never allowed by accident).
"""

from __future__ import annotations

import functools

OPERATOR, CADRE, SUPERVISOR, ADMIN = "operator", "cadre", "supervisor", "admin"
ROLES = (OPERATOR, CADRE, SUPERVISOR, ADMIN)
ROLE_NAMES = {OPERATOR: "接线员", CADRE: "挂职干部", SUPERVISOR: "督办", ADMIN: "管理员"}

EVERYONE = frozenset(ROLES)
CENTRE = frozenset({OPERATOR, SUPERVISOR, ADMIN})  # the people who work for the hotline centre
SUPERVISION = frozenset({SUPERVISOR, ADMIN})
ADMINS = frozenset({ADMIN})
CADRES = frozenset({CADRE})

PERMISSIONS: dict[str, frozenset[str]] = {
    # --- actions on a ticket (domain/actions.SPECS) ---------------------------------------------------
    "add_call": CENTRE,
    "answer": CENTRE,
    "transfer": CENTRE,
    "dispatch": CENTRE,
    "claim": EVERYONE,
    "return": EVERYONE,
    "return_accept": CENTRE,
    "return_reject": CENTRE,
    "reassign": CENTRE,
    "extend": EVERYONE,
    "extend_approve": CENTRE,
    "extend_refuse": CENTRE,
    "progress": EVERYONE,
    "reply": EVERYONE,
    "reply_approve": CENTRE,
    "reply_reject": CENTRE,
    "callback": CENTRE,
    "close": CENTRE,
    "reopen": CENTRE,
    "urge": CENTRE,
    "supervise": SUPERVISION,
    "list": SUPERVISION,
    "escalate": SUPERVISION,
    "merge": CENTRE,
    "note": EVERYONE,
    # --- what a person may see or run ----------------------------------------------------------------
    "see_all_units": CENTRE,  # every unit's requests; a cadre sees only their own unit's (and sub-units')
    "caller_history": CENTRE,  # a caller's earlier requests at intake (a unit never learns who called)
    "export": CENTRE,  # the Open311 export of the city's requests
    "import": CENTRE,  # the CSV import of historical tickets
    "report_publish": SUPERVISION,  # 月通报
    "audit": SUPERVISION,  # hotline audit: sign-ins, reveals, user changes, bulk actions, escalations
    "user_admin": ADMINS,  # hotline user add|list|disable|enable|passwd|role
    "shift": CADRES,  # 接线体悟: start and end a shadow shift
    "commit": CADRES,  # 不解决找我: a cadre's own name on a request of their unit (the unit checked in the domain)
    "card_publish": frozenset({CADRE, SUPERVISOR, ADMIN}),  # 职责清单: the unit's own cadre (checked in the core)
    "take_call": CADRES,  # 我当接线员: the cadre on a shift takes a call, the operator confirming
    "reveal": CENTRE,  # a caller's full number, with a stated reason, audited; never a cadre (facade/privacy.py)
}

LABELS = {
    "see_all_units": "查看其他单位的工单",
    "caller_history": "查看来电人历史",
    "export": "导出工单",
    "import": "导入工单",
    "report_publish": "发布月通报",
    "audit": "查看审计记录",
    "user_admin": "管理用户",
    "shift": "接线体悟",
    "take_call": "我当接线员",
    "commit": "不解决找我",
    "card_publish": "发布职责清单",
    "reveal": "查看完整号码",
}


def role_may(role: str, action: str) -> bool:
    """Whether ``role`` may do ``action`` (an action or capability named in PERMISSIONS)."""
    return role in PERMISSIONS.get(action, ())


def label(action: str) -> str:
    if action in LABELS:
        return LABELS[action]
    from hotline_tui.domain.vocabulary import ACTIONS

    return ACTIONS.get(action, action)


def refused(role: str, action: str) -> str | None:
    """None when ``role`` may do ``action``, else the one message every path (desk, CLI, facade) gives."""
    if role in PERMISSIONS.get(action, ()):
        return None
    return _message(role, action)


@functools.lru_cache(maxsize=256)
def _message(role: str, action: str) -> str:
    who = roles_for(action)
    article = "an" if role[:1] in "aeiou" else "a"
    return f"{article} {role} may not {action} ({label(action)}): {' or '.join(who) if who else 'nobody'} only"


def roles_for(action: str) -> tuple[str, ...]:
    """The roles that may do ``action``, in the order of ROLES (for help texts and tests)."""
    allowed = PERMISSIONS.get(action, frozenset())
    return tuple(r for r in ROLES if r in allowed)


def can_see_caller(viewer_role: str, viewer_actor: str, ticket) -> bool:
    """Whether the viewer sees a confidential (保密) caller's mask at all (138****1234, 张**).

    Everyone sees callers masked; the full number only through ``reveal`` with a stated reason, audited. A
    caller who asked for confidentiality is shown as 保密 to everyone but the operator who registered the call,
    and is never revealed to a cadre or a unit.
    """
    if viewer_role == "operator" and viewer_actor and viewer_actor == ticket.registered_by:
        return True
    return False
