"""The desk application: the frame, the areas as Textual MODES, and the Desk opened off the UI thread.

Nothing heavy happens before the first frame: settings are plain TOML; the store (SQLAlchemy, SQLModel,
migrations), the holiday calendar and the unit directory are opened in a worker after mount, and the
screens are told through ``app.desk`` and the reactive ``app.status``.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from pathlib import Path
from urllib.parse import urlsplit

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

import screens
from hotline_tui.config import Settings, load_settings
from hotline_tui.domain.calendar import CHINA
from hotline_tui.errors import HotlineError
from screens.frame import AREAS, AreaPlaceholder
from screens.ticket import TicketScreen

STYLES = Path(screens.__file__).parent
CITIES = {"QD": "青岛"}
ROLE_NAMES = {"operator": "operator", "cadre": "cadre", "supervisor": "supervisor", "admin": "admin"}
BEFORE_SIGN_IN = ("area", "sync", "command_palette")  # app actions refused while the sign-in screen waits


def _intake_screen():
    """F2: the call intake screen (screens/intake.py); until it lands, say so."""
    try:
        from screens.intake import IntakeScreen  # type: ignore[attr-defined]
    except ImportError:
        return AreaPlaceholder("intake")
    return IntakeScreen()


def _lookup_screen():
    """F3: the unit lookup is built separately as screens/lookup.py; until it lands, say so."""
    try:
        from screens.lookup import LookupScreen  # type: ignore[attr-defined]
    except ImportError:
        return AreaPlaceholder("lookup")
    return LookupScreen()


def _supervise_screen():
    """F5: the supervisors' workbench (screens/supervise.py), imported when first opened."""
    from screens.supervise import SuperviseScreen

    return SuperviseScreen()


def _shadow_screen():
    """F7: the visiting cadre's shadow shift (screens/shadow.py), imported when first opened."""
    from screens.shadow import ShadowScreen

    return ShadowScreen()


def _reports_screen():
    """F6: the monthly ranking (screens/reports.py), imported when first opened."""
    from screens.reports import ReportsScreen

    return ReportsScreen()


def hub_text(hub: str | None) -> str:
    if not hub:
        return "hub: none"
    try:
        parts = urlsplit(hub)
        where = parts.hostname or Path(parts.path or hub).name or hub
    except ValueError:
        where = "?"
    return f"hub: {where}"  # never the URL itself: it may hold a password


def today_text(day: dict | None) -> tuple[str, str]:
    if day is None:
        now = dt.datetime.now(CHINA).date()
        return f"{now.isoformat()} 周{'一二三四五六日'[now.weekday()]}", ""
    kind = "工作日" if day["workday"] else "休息日"
    est = " (估算)" if day.get("estimated") else ""
    return f"{day['date']} 周{day['weekday']} {kind}{est}", "green" if day["workday"] else "yellow"


class HotlineApp(App):
    TITLE = "12345"
    CSS_PATH = [STYLES / name for name in ("frame.tcss", "ticket.tcss", "action_form.tcss", "recent.tcss", "supervise.tcss",
                                                "reports.tcss")]
    MODES = {
        "intake": _intake_screen,
        "lookup": _lookup_screen,
        "ticket": TicketScreen,
        "supervise": _supervise_screen,
        "reports": _reports_screen,
        "shadow": _shadow_screen,
    }
    DEFAULT_MODE = "ticket"
    # Screens get the class -narrow under 100 columns (an 80×24 terminal) and lay themselves out for it.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "帮助", id="app.help"),
        Binding("ctrl+p", "command_palette", "命令", id="app.commands", priority=True),
        *(Binding(key.lower(), f"area('{mode}')", name, show=False, id=f"area.{mode}") for mode, key, name in AREAS),
        Binding("f9", "sync", "同步", id="app.sync"),
        Binding("ctrl+q", "quit", "退出", id="app.quit", priority=True),
    ]
    ENABLE_COMMAND_PALETTE = True

    status: reactive[dict] = reactive(dict, always_update=True)

    def __init__(self, settings: Settings | None = None, desk=None) -> None:
        super().__init__()
        self.settings = settings or load_settings()
        self.desk = desk  # the services.Desk facade; None until the worker has opened the store (and, with users, signed in)
        self.awaiting_sign_in = False
        self._day: dict | None = None  # today, for the header
        self._syncing = False
        self._gc_lock = threading.Lock()
        self._frozen = self._closing = False  # see freeze_long_lived
        self.set_reactive(HotlineApp.status, self._status(None, "正在打开工单库…"))

    def _status(self, day: dict | None, note: str = "") -> dict:
        s = self.settings
        person = "未登录 (not signed in)" if self.awaiting_sign_in else f"{s.operator} ({ROLE_NAMES.get(s.role, s.role)})"
        who = f"12345 {CITIES.get(s.city_code, s.city_code)} · desk {s.desk} · {person}"
        day_label, day_style = today_text(day)
        hub = hub_text(s.hub) + (f" · {note}" if note else "")
        return {"who": who, "hub": hub, "day": day_label, "day_style": day_style}

    def on_mount(self) -> None:
        self.set_keymap(self.settings.keymap)
        self._open_desk()

    @work(thread=True, exclusive=True, group="desk")
    def _open_desk(self) -> None:
        try:
            from hotline_tui.services import Desk

            desk = self.desk or Desk(self.settings)
            desk.store  # opens (or upgrades) the store
            day = desk.today()
            demo = None
            if not desk.signed_in and desk.has_users():  # who is at the desk: asked before anything is shown
                demo = desk.demo_sign_ins()
        except HotlineError as exc:
            self.call_from_thread(self._desk_failed, str(exc))
            return
        if demo is not None:
            self.call_from_thread(self._ask_sign_in, desk, day, demo)
        else:
            self.call_from_thread(self._desk_ready, desk, day, self._sync_note(desk))
        try:
            desk.store.warm_clock()  # before the first action, not in its way (seconds on millions of tickets)
        except HotlineError as exc:
            self.call_from_thread(self.notify, f"存储读取失败: {exc}", severity="error", markup=False)
        try:
            desk.directory  # warm the unit directory for names in timelines
        except Exception as exc:  # names fall back to codes; say why once
            self.call_from_thread(self.notify, f"单位目录不可用, 显示代码: {exc}", severity="warning", markup=False)
            return
        self.freeze_long_lived()

    def freeze_long_lived(self) -> None:
        """What is loaded by now (the directory and its index, the store's engine, the widgets, an area's
        warmed-up caches) lives as long as the desk: keep it out of the garbage collector's full passes, which
        would otherwise stall a key press now and then. Callable from any thread, again after more warm-up;
        all of it is given back when the desk closes (``on_unmount``)."""
        with self._gc_lock:
            if not self._closing:
                gc.freeze()
                self._frozen = True

    def on_unmount(self) -> None:
        with self._gc_lock:
            self._closing = True
            if self._frozen:
                gc.unfreeze()
                self._frozen = False

    def _sync_note(self, desk) -> str:
        """"synced 09:41 · 3 to push" from the store's sync state, when a hub is configured."""
        if not self.settings.hub or not hasattr(desk, "sync_status"):
            return ""
        try:
            st = desk.sync_status()
        except Exception:  # the header must not fail on sync state
            return "sync state unknown"
        from hotline_tui.domain.policy import format_local

        last = st.get("last_sync_ms")
        when = f"synced {format_local(last, '%m-%d %H:%M')}" if last else "never synced"
        return f"{when} · {st.get('pending_push', 0)} to push"

    def _desk_ready(self, desk, day: dict, sync_note: str = "") -> None:
        self.desk = desk
        self._day = day
        self.status = self._status(day, sync_note)
        self.refresh_bindings()

    def _ask_sign_in(self, desk, day: dict, demo: list[dict]) -> None:
        from screens.sign_in import SignInScreen

        self.desk = None  # no screen reaches the store before someone signs in
        self.awaiting_sign_in = True
        self._day = day
        self.status = self._status(day, "请登录")
        self.push_screen(SignInScreen(desk, demo), lambda result: self._signed_in(desk, result))

    def _signed_in(self, desk, result: dict) -> None:
        self.awaiting_sign_in = False
        self.settings = desk.settings  # the signed-in person: operator, role and unit are theirs now
        if result.get("notice"):
            self.notify(result["notice"], title="角色", severity="warning", timeout=15, markup=False)
        self._desk_ready(desk, self._day or desk.today(), self._sync_note(desk))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.awaiting_sign_in and action in BEFORE_SIGN_IN:
            return False
        return True

    def sign_out(self) -> None:
        """Record the sign-out of whoever signed in here (run_desk calls it once the desk has closed)."""
        desk = self.desk
        if desk is not None and getattr(desk, "signed_in", False):
            desk.sign_out()

    def _desk_failed(self, message: str) -> None:
        self.status = self._status(None, "工单库不可用")
        self.notify(message, title="工单库", severity="error", timeout=30, markup=False)

    # --- actions -----------------------------------------------------------------------------------
    def action_area(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_sync(self) -> None:
        """F9: sync with the hub in a thread; the desk stays usable meanwhile."""
        if not self.settings.hub:
            self.notify("sync is off: no hub configured (配置文件 [sync] hub = \"…\" 或 HOTLINE_HUB)", title="F9 同步",
                        severity="warning", markup=False)
            return
        if self.desk is None:
            self.notify("工单库正在打开, 请稍候再同步", title="F9 同步", severity="warning", markup=False)
            return
        if self._syncing:
            self.notify("sync already running", title="F9 同步", markup=False)
            return
        self._syncing = True
        self.status = self._status(self._day, "syncing…")
        self._sync(self.desk)

    @work(thread=True, exclusive=True, group="sync")
    def _sync(self, desk) -> None:
        def progress(kind: str, n: int, cursor: int) -> None:
            done[kind] += n
            note = f"syncing… pushed {done['push']}, pulled {done['pull']}"
            self.call_from_thread(self._sync_progress, note)

        done = {"push": 0, "pull": 0}
        try:
            result, error = desk.sync_now(progress=progress), None
        except HotlineError as exc:
            result, error = None, str(exc)
        except Exception as exc:  # never let a sync take the desk down; say what happened in one line
            result, error = None, f"sync failed: {type(exc).__name__}: {exc}"
        self.call_from_thread(self._sync_done, desk, result, error, self._sync_note(desk))

    def _sync_progress(self, note: str) -> None:
        if self._syncing:
            self.status = self._status(self._day, note)

    def _sync_done(self, desk, result: dict | None, error: str | None, note: str) -> None:
        self._syncing = False
        if error is not None:
            self.status = self._status(self._day, f"{note} · sync failed" if note else "sync failed")
            self.notify(_one_line(error, self.settings.hub), title="F9 同步失败", severity="error", timeout=15, markup=False)
            return
        self.status = self._status(self._day, note)
        changed = result["tickets"]
        self.notify(f"pushed {result['sent']} ({result['accepted']} new to the hub), pulled {result['received']}"
                    f" ({result['applied']} new here), {len(changed)} tickets changed", title="F9 同步", markup=False)
        if result.get("warning"):
            self.notify(result["warning"], title="F9 同步: 桌号重复", severity="warning", timeout=30, markup=False)
        if changed:
            for screen in list(self.screen_stack):  # what is on screen shows the synced state
                hook = getattr(screen, "refresh_after_sync", None)
                if callable(hook):
                    hook(set(changed))


def _one_line(message: str, hub: str | None) -> str:
    """The message on one line, without the hub URL's password."""
    from hotline_tui.redact import redact_url

    line = " ".join(message.split())
    if hub:
        line = line.replace(hub, redact_url(hub))
    return redact_url(line)[:300]


WORKER_THREADS = "hotline-worker"
QUIT_GRACE_S = 3.0  # how long a closed desk waits for work still running in its threads


def run_desk(db: str | None = None, user: str | None = None) -> int:
    """Open the desk in this terminal; returns the process exit code.

    The desk's thread workers run in an executor of its own, so that closing the desk does not wait for
    ever on one of them (a sync waiting on a slow hub would hold the process for the hub's whole timeout,
    the terminal already given back). They get ``QUIT_GRACE_S``; then the process ends without them:
    every commit is kept, SQLite rolls back a transaction left open, and a sync resumes at the next F9."""
    import asyncio
    import os
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from hotline_tui.lifeline import join_threads

    settings, desk = load_settings(db), None
    if user is not None:  # hotline --user NAME: signed in here, before the desk takes the terminal
        from hotline_tui.commands.session import sign_in
        from hotline_tui.services import Desk

        desk = Desk(settings)
        sign_in(desk, user)  # a refusal ends the command with its reason, the desk not opened
        settings = desk.settings
    app = HotlineApp(settings, desk=desk)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    workers = ThreadPoolExecutor(thread_name_prefix=WORKER_THREADS)
    loop.set_default_executor(workers)
    try:
        app.run(loop=loop)
    finally:
        workers.shutdown(wait=False, cancel_futures=True)
        left = join_threads(WORKER_THREADS, QUIT_GRACE_S, lambda line: print(f"hotline: {line}", file=sys.stderr, flush=True))
        asyncio.set_event_loop(None)
        loop.close()
    code = app.return_code or 0
    try:
        app.sign_out()
    except HotlineError as exc:
        print(f"hotline: sign-out not recorded: {exc}", file=sys.stderr, flush=True)
    if left:
        print(f"hotline: left {len(left)} unfinished: everything saved is kept; a sync resumes at the next F9",
              file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(code)
    return code
