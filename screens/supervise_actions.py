"""F5's supervisor actions (催办, 督办, 挂牌督办, 移交) on the marked tickets, all of them, or the one under the
cursor: planned in a worker, confirmed in a form that says how many and which are left out, recorded in one
transaction; keys a role may not use are dimmed and explained."""

from __future__ import annotations

from textual import events, work

from hotline_tui.domain.actions import SPECS
from hotline_tui.domain.permissions import refused
from hotline_tui.errors import HotlineError

from screens.frame import DeskScreen
from screens.ticket_list import TicketList


class SuperviseActions(DeskScreen):
    """The actions part of SuperviseScreen."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "bulk":
            return self.refusal(str(parameters[0])) is None or None
        return True

    def refusal(self, action: str) -> str | None:
        return refused(self.app.settings.role, action)

    def on_key(self, event: events.Key) -> None:
        """A dimmed action key is explained, never silently ignored."""
        active = self.active_bindings.get(event.key)
        if active is None or active.enabled or active.node is not self:
            return
        if active.binding.action.startswith("bulk("):
            name = active.binding.action[6:-2]
            event.stop()
            event.prevent_default()
            self.notify(self.refusal(name) or "", title=f"不能{SPECS[name].label}", severity="warning", markup=False)

    def action_bulk(self, action: str) -> None:
        desk = self.desk
        tickets = self.query_one(TicketList)
        if desk is None or tickets.row is None:
            self.notify("列表中没有工单", title=SPECS[action].label, severity="warning")
            return
        if self.all_marked:
            target: str | list[str] = self.filter_text
        elif tickets.marked:
            target = sorted(tickets.marked)
        else:
            target = [tickets.number]
        self._plan(desk, action, target)

    @work(thread=True, exclusive=True, group="supervise-plan")
    def _plan(self, desk, action: str, target: str | list[str]) -> None:
        try:
            numbers = desk.bulk_numbers(target) if isinstance(target, str) else target
            plan = desk.bulk_plan(numbers, action)
        except HotlineError as exc:
            self.app.call_from_thread(self.notify, str(exc), title=SPECS[action].label, severity="error", markup=False)
            return
        self.app.call_from_thread(self._confirm, desk, action, plan)

    def _confirm(self, desk, action: str, plan: dict) -> None:
        from screens.bulk_form import BulkForm

        if not plan["allowed"]:
            why = "; ".join(f"{len(v)} 件 {k}" for k, v in plan["refused"].items())
            self.notify(f"没有可以{plan['label']}的工单: {why}", title=plan["label"], severity="warning", markup=False)
            return

        def submit(fields):
            return desk.bulk_act(plan["allowed"], action, fields)

        def done(fields: dict | None) -> None:
            if fields is None:
                return
            self.notify(f"已{plan['label']} {len(plan['allowed']):,} 件", title="督办工作台", markup=False)
            self.action_clear_marks()
            self.action_reload()

        self.app.push_screen(BulkForm(SPECS[action], plan, submit), done)
