"""Users, sign-in and the audit on the facade (the core is hotline_tui/auth/).

Identity is the Settings: after a sign-in ``self.settings`` is replaced by one naming the user
(operator = name, role = the role worked in, unit = the user's unit), and every other part keeps reading
``settings.operator / role / unit``. A store without users opens as the config's single operator, as before;
the first user must be an admin, added without signing in; from then on everything signs in.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hotline_tui.domain.permissions import ROLES, refused
from hotline_tui.errors import DomainError, InputError, NotFound

SIGNED_IN = "sign-in"  # Settings.role_from once a person has signed in


class SignInRefused(DomainError):
    """A sign-in that did not succeed; its ``sign_in_failed`` event is already written."""


class UsersPart:
    """Mixed into ``services.Desk``. Every method reads or writes the store (call it from a worker)."""

    # --- who is at the desk --------------------------------------------------------------------------
    def has_users(self) -> bool:
        """Whether this store has users (then every start signs in). A store not made yet has none."""
        from hotline_tui.auth.users import has_users

        if not self.settings.store_path.exists():
            return False
        with self.store.read() as conn:
            return has_users(conn)

    @property
    def signed_in(self) -> bool:
        return self.settings.role_from == SIGNED_IN

    def _pinned_role(self) -> str | None:
        s = self.settings
        return s.role if s.role_from in ("config", "HOTLINE_ROLE") else None

    def sign_in(self, name: object, password: object) -> dict[str, Any]:
        """Sign ``name`` in with ``password``: on success this desk's settings name the user, a ``sign_in``
        event is written and {name, role, own_role, unit, notice} returned; otherwise SignInRefused (or
        InputError for an empty name) with a clear reason, and only the ``sign_in_failed`` event written."""
        from hotline_tui.auth import audit
        from hotline_tui.auth.roles import effective_role

        user, now = self._checked_credentials(name, password)
        role, notice = effective_role(user.role, self._pinned_role())
        with self.store.write() as w:
            audit.record(w, audit.SIGN_IN, {"name": user.name, "role": role, "own_role": user.role},
                         now_ms=now, desk=self.settings.desk, actor=user.name)
        self.settings = dataclasses.replace(self.settings, operator=user.name, role=role, unit=user.unit, role_from=SIGNED_IN)
        return {"name": user.name, "role": role, "own_role": user.role, "unit": user.unit, "notice": notice}

    def confirm_person(self, name: object, password: object, purpose: str):
        """Another person at this desk confirms with their own password (the operator beside a cadre who
        takes a call, 我当接线员): the same checks, throttle and ``sign_in_failed`` audit as a sign-in, but
        nobody is signed in or out. Returns the user; SignInRefused otherwise."""
        user, _ = self._checked_credentials(name, password, purpose)
        return user

    def _checked_credentials(self, name: object, password: object, purpose: str = ""):
        from hotline_tui.auth import audit, names, throttle
        from hotline_tui.auth.passwords import verify_password
        from hotline_tui.auth.users import get_user

        if not isinstance(name, str) or not name.strip():
            raise InputError("give your user name")
        typed = names.shown(name.strip())
        now = self._now()
        why = (lambda reason: f"{reason} ({purpose})") if purpose else (lambda reason: reason)
        with self.store.read() as conn:
            failures, success = audit.sign_in_history(conn, typed, now - throttle.WINDOW_MS, now)
            wait = throttle.seconds_left(failures, success, now)
            user = None
            if not wait:
                try:
                    user = get_user(conn, names.check_name(name))
                except InputError:
                    user = None
        if wait:
            count = len([t for t in failures if t > max(now - throttle.WINDOW_MS, success or 0)])
            self._sign_in_failed(typed, why("throttled"), now)
            raise SignInRefused(throttle.message(typed, wait, count))
        reason, message = None, None
        if not isinstance(password, str) or not password:
            reason, message = "no password", "give your password"
        elif len(password) > names.PASSWORD_MAX:
            reason, message = "password too long", f"wrong password for {typed} (a password is at most {names.PASSWORD_MAX} characters)"
        elif user is None:
            reason, message = "unknown user", (f"no user {typed} at this desk: check the name (a user added at another desk"
                                               " arrives here with a sync)")
        elif not verify_password(user.password_hash, password):
            reason, message = "wrong password", f"wrong password for {typed}"
        elif user.disabled:
            reason, message = "disabled", f"{typed} is disabled: ask an admin to enable the account"
        if reason is not None:
            self._sign_in_failed(typed, why(reason), now)
            after = 1 + len([t for t in failures if t > max(now - throttle.WINDOW_MS, success or 0)])
            if after >= throttle.FREE_FAILURES:
                message += f"; wait {throttle.wait_after(after)} s before the next try"
            else:
                message += f" ({throttle.FREE_FAILURES - after} more before a wait)"
            raise SignInRefused(message)
        return user, now

    def _sign_in_failed(self, typed: str, reason: str, now: int) -> None:
        from hotline_tui.auth import audit

        with self.store.write() as w:
            audit.record(w, audit.SIGN_IN_FAILED, {"name": typed, "reason": reason}, now_ms=now,
                         desk=self.settings.desk, actor=typed)

    def sign_out(self) -> None:
        """Record the signed-in person's ``sign_out`` (nothing when nobody signed in)."""
        from hotline_tui.auth import audit

        if not self.signed_in:
            return
        with self.store.write() as w:
            audit.record(w, audit.SIGN_OUT, {"name": self.settings.operator}, now_ms=self._now(),
                         desk=self.settings.desk, actor=self.settings.operator)

    def require_sign_in(self) -> None:
        """Refuse to go on when the store has users and nobody signed in (every ticket command calls it)."""
        if not self.signed_in and self.has_users():
            raise InputError("this store has users: sign in with `hotline --user NAME ...`"
                             " (the password from HOTLINE_PASSWORD or a prompt)")

    def demo_sign_ins(self) -> list[dict[str, Any]]:
        """The demo users still as ``hotline demo --users`` made them, with their documented passwords (the
        sign-in screen shows them on a demo store)."""
        from hotline_tui.auth.users import all_users
        from hotline_tui.demo.users import demo_password

        if not self.settings.store_path.exists():
            return []
        with self.store.read() as conn:
            users = all_users(conn)
        return [{"name": u.name, "role": u.role, "unit": u.unit, "password": demo_password(u.name)}
                for u in users if u.demo and not u.disabled]

    # --- user administration -------------------------------------------------------------------------
    def _admin_check(self) -> None:
        if not self.signed_in:
            raise InputError("sign in as an admin first: `hotline --user NAME user ...`")
        why = refused(self.settings.role, "user_admin")
        if why:
            raise DomainError(why)

    def _checked_role_unit(self, role: object, unit: object) -> tuple[str, str | None]:
        if not isinstance(role, str) or role not in ROLES:
            shown = role if isinstance(role, str) else type(role).__name__
            from hotline_tui.auth.names import shown as safe

            raise InputError(f"no role '{safe(shown)}': roles are {', '.join(ROLES)}")
        code = None
        if unit is not None and (not isinstance(unit, str) or unit.strip()):
            from hotline_tui.auth.names import shown as safe

            if not isinstance(unit, str):
                raise InputError(f"--unit must be a unit code, not {type(unit).__name__}")
            code = unit.strip()
            if len(code) > 40 or not self.unit_exists(code):
                raise InputError(f"no unit '{safe(code)}' in the directory: look it up with `hotline lookup`")
        if role == "cadre" and code is None:
            raise InputError("a cadre needs --unit: the code of their own unit in the directory (`hotline lookup`)")
        return role, code

    def check_new_user(self, name: object, role: object, unit: object = None) -> tuple[bool, str, str, str | None]:
        """(first user of the store, name, role, unit) for ``add_user``, checked before a password is asked."""
        from hotline_tui.auth.names import check_name

        first = not self.has_users()
        if first:
            if role != "admin":
                raise InputError("this store has no users yet: the first one must be an admin"
                                 " (`hotline user add NAME --role admin`)")
        else:
            self._admin_check()
        name = check_name(name)
        role, code = self._checked_role_unit(role, unit)
        return first, name, role, code

    def add_user(self, name: object, role: object, password: object, unit: object = None) -> dict[str, Any]:
        """Add a user (admins only; the first user of a store, an admin, without signing in)."""
        from hotline_tui.auth.names import check_new_password

        first, name, role, code = self.check_new_user(name, role, unit)
        password = check_new_password(password, name)
        return self._write_user_add([(name, role, code, password, False)], first=first)[0]

    def add_demo_users(self, people: list[tuple[str, str, str | None, str]]) -> list[dict[str, Any]]:
        """``hotline demo --users``: several users at once (name, role, unit, password), allowed only while the
        store has no users, marked as demo users (their documented passwords are shown at sign-in)."""
        from hotline_tui.auth.names import check_name, check_new_password

        if self.has_users():
            raise InputError("this store already has users; demo users go only into a store without any")
        checked = []
        for name, role, unit, password in people:
            name = check_name(name)
            role, code = self._checked_role_unit(role, unit)
            checked.append((name, role, code, check_new_password(password, name), True))
        return self._write_user_add(checked, first=True)

    def _write_user_add(self, people, *, first: bool) -> list[dict[str, Any]]:
        from hotline_tui.auth import users
        from hotline_tui.auth.passwords import hash_password

        hashed = [(name, role, code, hash_password(password), demo) for name, role, code, password, demo in people]
        actor = self.settings.operator if self.signed_in else (hashed[0][0] if first else self.settings.operator)
        with self.store.write() as w:
            if first and users.has_users(w.conn):
                raise InputError("another desk or command added users meanwhile: sign in as their admin")
            out = []
            for name, role, code, digest, demo in hashed:
                if users.get_user(w.conn, name) is not None:
                    raise InputError(f"user {name} already exists (change it with `hotline user role|passwd|enable`)")
                payload: dict[str, Any] = {"role": role, "unit": code, "password_hash": digest}
                if demo:
                    payload["demo"] = True
                users.record(w, name, "user_add", payload, desk=self.settings.desk, actor=actor)
                out.append({"name": name, "role": role, "unit": code})
        return out

    def list_users(self) -> list[dict[str, Any]]:
        from hotline_tui.auth.users import all_users

        self._admin_check()
        with self.store.read() as conn:
            return [u.public() for u in all_users(conn)]

    def _existing(self, conn, name: object):
        from hotline_tui.auth.names import check_name, shown
        from hotline_tui.auth.users import get_user

        try:
            checked = check_name(name)
        except InputError:
            raise NotFound(f"no user '{shown(name)}'") from None
        user = get_user(conn, checked)
        if user is None:
            raise NotFound(f"no user {checked}")
        return user

    def _other_admins(self, conn, name: str) -> int:
        from hotline_tui.auth.users import all_users

        return sum(1 for u in all_users(conn) if u.role == "admin" and not u.disabled and u.name != name)

    def _change(self, name: object, kind: str, payload_of) -> dict[str, Any]:
        from hotline_tui.auth import users

        self._admin_check()
        with self.store.write() as w:
            user = self._existing(w.conn, name)
            payload = payload_of(w.conn, user)
            if payload is None:
                return {"name": user.name, "changed": False}
            users.record(w, user.name, kind, payload, desk=self.settings.desk, actor=self.settings.operator)
        return {"name": user.name, "changed": True}

    def disable_user(self, name: object) -> dict[str, Any]:
        def payload(conn, user):
            if user.disabled:
                return None
            if user.role == "admin" and not self._other_admins(conn, user.name):
                raise DomainError(f"{user.name} is the last enabled admin: add or enable another admin first")
            return {}

        return self._change(name, "user_disable", payload)

    def enable_user(self, name: object) -> dict[str, Any]:
        return self._change(name, "user_enable", lambda conn, user: {} if user.disabled else None)

    def set_role(self, name: object, role: object, unit: object = None) -> dict[str, Any]:
        role, code = self._checked_role_unit(role, unit)

        def payload(conn, user):
            if user.role == role and user.unit == code:
                return None
            if user.role == "admin" and role != "admin" and not self._other_admins(conn, user.name):
                raise DomainError(f"{user.name} is the last enabled admin: add or enable another admin first")
            return {"role": role, "unit": code, "was": user.role}

        return self._change(name, "user_role", payload)

    def set_password(self, name: object, password: object) -> dict[str, Any]:
        """An admin sets anyone's password; a signed-in person may set their own."""
        from hotline_tui.auth import users
        from hotline_tui.auth.names import check_new_password
        from hotline_tui.auth.passwords import hash_password

        if not (self.signed_in and name == self.settings.operator):
            self._admin_check()
        if not self.signed_in:
            raise InputError("sign in first: `hotline --user NAME user passwd NAME`")
        with self.store.read() as conn:
            user = self._existing(conn, name)
        digest = hash_password(check_new_password(password, user.name))
        with self.store.write() as w:
            users.record(w, user.name, "user_passwd", {"password_hash": digest}, desk=self.settings.desk,
                         actor=self.settings.operator)
        return {"name": user.name, "changed": True}

    # --- the audit -----------------------------------------------------------------------------------
    def audit(self, since: str | None = None, user: str | None = None) -> list[dict[str, Any]]:
        """Sign-ins and failures, user changes, reveals, shifts, bulk actions and escalations (supervisors and
        admins). ``since`` is a date (2026-11-01) or date-time in China's time."""
        from hotline_tui.auth.audit import audit_rows
        from hotline_tui.exchange.when import parse_when

        why = refused(self.settings.role, "audit")
        if why:
            raise DomainError(why)
        since_ms = 0
        if since is not None:
            since_ms = parse_when(since) if isinstance(since, str) else None
            if since_ms is None:
                from hotline_tui.auth.names import shown

                raise InputError(f"--since '{shown(since, 30)}' is not a date or date-time like 2026-11-01 or 2026-11-01T08:00")
        if user is not None and (not isinstance(user, str) or not user.strip()):
            raise InputError("--user needs a user name")
        if not self.settings.store_path.exists():
            return []
        with self.store.read() as conn:
            return audit_rows(conn, since_ms, user.strip() if user else None)
