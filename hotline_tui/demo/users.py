"""``hotline demo --users``: a few users of each role, with documented passwords (a demo store only).

A demo user's password is ``demo-`` and the name; the sign-in screen of a store whose demo users still have
it lists them, so a first look at the desk needs nothing written down. Changing the password (``hotline user
passwd``) makes the user an ordinary one.
"""

from __future__ import annotations

# name, role, unit (cadres: two real units of the shipped directory, 市北区 and 市城市管理局)
DEMO_USERS = (
    ("admin", "admin", None),
    ("wangfang", "operator", None),
    ("lijing", "operator", None),
    ("zhaolei", "supervisor", None),
    ("chenmin", "cadre", "370203"),
    ("liuyang", "cadre", "D-CGJ"),
)


def demo_password(name: str) -> str:
    return f"demo-{name}"


def demo_people() -> list[tuple[str, str, str | None, str]]:
    return [(name, role, unit, demo_password(name)) for name, role, unit in DEMO_USERS]
