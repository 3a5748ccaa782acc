"""Who is at the desk: ``SignInScreen(desk)`` is a ``ModalScreen[dict]`` shown when the store has users.

It cannot be dismissed except by signing in (or quitting with Ctrl+Q). The password is checked in a thread
(Argon2id takes a fraction of a second); a refusal is shown as the facade words it (wrong password, unknown or
disabled user, the wait after repeated failures) and the password field is cleared. On a demo store it lists
the demo users and their documented passwords.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from hotline_tui.domain.permissions import ROLE_NAMES
from hotline_tui.errors import HotlineError


class SignInScreen(ModalScreen[dict]):
    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    #sign-in-box { width: 64; max-width: 100%; height: auto; max-height: 100%; border: thick $accent;
                   background: $surface; padding: 0 2; }
    #sign-in-box Input { width: 100%; }
    #sign-in-error { color: $error; height: auto; }
    #sign-in-demo { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("enter", "submit", "登录", id="sign_in.submit", show=True),
        Binding("tab", "app.focus_next", "下一项", id="sign_in.next", show=False),
    ]

    def __init__(self, desk, demo: list[dict] | None = None) -> None:
        super().__init__()
        self.desk, self.demo = desk, demo or []
        self._busy = False

    def compose(self) -> ComposeResult:
        title = Text(f"12345 · desk {self.desk.settings.desk} · 请登录 (sign in)", style="bold")
        with Vertical(id="sign-in-box"):
            yield Static(title, id="sign-in-title")
            yield Input(placeholder="用户名 (name)", id="sign-in-name", max_length=64)
            yield Input(placeholder="密码 (password)", password=True, id="sign-in-password", max_length=300)
            yield Static("", id="sign-in-error")
            yield Static(self._demo_text(), id="sign-in-demo")
            yield Static(Text("Enter 登录 · Tab 下一项 · Ctrl+Q 退出", style="dim"))

    def _demo_text(self) -> Text:
        if not self.demo:
            return Text("")
        lines = ["演示用户 (demo users):"]
        for u in self.demo[:8]:
            unit = f" {u['unit']}" if u.get("unit") else ""
            lines.append(f"  {u['name']:<10} {u['password']:<16} {ROLE_NAMES.get(u['role'], u['role'])}{unit}")
        return Text("\n".join(lines))

    def on_mount(self) -> None:
        self.query_one("#sign-in-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "sign-in-name" and not self.query_one("#sign-in-password", Input).value:
            self.query_one("#sign-in-password", Input).focus()
            return
        self.action_submit()

    def action_submit(self) -> None:
        if self._busy:
            return
        name = self.query_one("#sign-in-name", Input).value
        password = self.query_one("#sign-in-password", Input).value
        if not name.strip():
            self._show_error("请输入用户名 (give your user name)")
            self.query_one("#sign-in-name", Input).focus()
            return
        self._busy = True
        self.query_one("#sign-in-error", Static).update(Text("正在验证… (checking)", style="dim"))
        self._check(name, password)

    @work(thread=True, exclusive=True, group="sign-in")
    def _check(self, name: str, password: str) -> None:
        try:
            result, error = self.desk.sign_in(name, password), None
        except HotlineError as exc:
            result, error = None, str(exc)
        except Exception as exc:  # a store failure must not take the desk down: say it in one line
            result, error = None, f"sign-in failed: {type(exc).__name__}: {exc}"
        self.app.call_from_thread(self._checked, result, error)

    def _checked(self, result: dict | None, error: str | None) -> None:
        self._busy = False
        if result is not None:
            self.dismiss(result)
            return
        self._show_error(error or "")
        password = self.query_one("#sign-in-password", Input)
        password.value = ""
        password.focus()

    def _show_error(self, message: str) -> None:
        self.query_one("#sign-in-error", Static).update(Text(message))
