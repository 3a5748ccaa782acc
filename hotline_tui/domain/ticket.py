"""A ticket's current state, as folded from its events."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from hotline_tui.domain.vocabulary import FINAL_STATES, OPEN_STATES


@dataclass
class Ticket:
    number: str
    state: str = "registered"
    desk: str = ""
    registered_ms: int = 0
    registered_by: str = ""
    caller_phone: str = ""
    caller_name: str = ""
    caller_key: str = ""  # keyed hash of the number (privacy/seal.py): finds the caller's history
    caller_phone_enc: str = ""  # the number and name sealed under the city's key; caller_phone/_name hold masks
    caller_name_enc: str = ""
    anonymous: bool = False
    confidential: bool = False
    channel: str = "hotline"
    nature: str = "consultation"
    category: list[str] = field(default_factory=list)
    place: str | None = None  # unit code of the place
    address: str = ""
    description: str = ""
    urgency: str = "normal"
    mode: str | None = None  # dispatch | answer | transfer
    answer: str = ""
    transfer_to: str | None = None
    lead_unit: str | None = None
    assist_units: list[str] = field(default_factory=list)
    units_dispatched: list[str] = field(default_factory=list)  # every lead unit so far, in order
    dispatched_ms: int | None = None
    claimed_ms: int | None = None
    claim_due_ms: int | None = None
    due_ms: int | None = None
    due_estimated: bool = False
    return_count: int = 0
    return_pending: dict[str, Any] | None = None  # {unit, reason, detail, prev_state}
    extension_pending: dict[str, Any] | None = None  # {days, reason, due_ms}
    extension_count: int = 0
    reply: dict[str, Any] | None = None  # {handling, answer, resolved, unit}
    replied_ms: int | None = None
    callback: dict[str, Any] | None = None  # {satisfaction, resolved}
    closed_ms: int | None = None
    reopen_count: int = 0
    urge_count: int = 0
    call_count: int = 1  # registrations of the same matter (the first call, plus repeats added)
    flags: list[str] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)
    merged_into: str | None = None
    merged_from: list[str] = field(default_factory=list)
    conflicts: int = 0
    # 不解决找我: the cadre who put their name on it, their unit, the date they promised (China's, and its last
    # millisecond), the contact they published, when (the latest commitment replaces an earlier one)
    commit_by: str = ""
    commit_unit: str | None = None
    commit_due: str = ""
    commit_due_ms: int | None = None
    commit_contact: str = ""
    commit_note: str = ""
    commit_ms: int | None = None
    event_count: int = 0
    last_hlc: int = 0

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    def commitment(self, now_ms: int) -> str | None:
        """The commitment's outcome now: kept (closed by the end of the promised day), unkept (that day is over
        and it was not), open (the day has not passed yet), or None without a commitment."""
        return commitment_status(self.commit_due_ms, self.closed_ms, now_ms)

    def has(self, flag: str) -> bool:
        return flag in self.flags

    def set_flag(self, flag: str) -> None:
        if flag not in self.flags:
            self.flags.append(flag)
            self.flags.sort()

    def to_dict(self) -> dict[str, Any]:
        """A copy of the state as plain values. Nested lists and dicts are copied one level deep, which is
        all a Ticket holds; ``dataclasses.asdict``'s recursive deep copy cost a third of folding time."""
        return {k: (v.copy() if isinstance(v, (list, dict)) else v) for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ticket:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def commitment_status(due_ms: int | None, closed_ms: int | None, now_ms: int) -> str | None:
    """kept | unkept | open | None, as ``query.compile`` states it in SQL (``commitment:``)."""
    if due_ms is None:
        return None
    if closed_ms is not None and closed_ms <= due_ms:
        return "kept"
    return "unkept" if due_ms < now_ms else "open"
