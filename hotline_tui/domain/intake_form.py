"""The intake form's values as the operator fills them, checked field by field while typing.

The screen keeps one ``IntakeValues``; ``check`` says what is wrong or missing right now (shown as you
type, not only at save), and ``to_request`` turns the values into the request ``parse_intake`` takes, so
the form and ``hotline ticket new`` store exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hotline_tui.domain.phone import Phone, parse_phone
from hotline_tui.domain.text import clean_text
from hotline_tui.domain.vocabulary import NATURES
from hotline_tui.errors import InputError

MODES = {"dispatch": "派单", "answer": "直接答复", "lead_assist": "主办+协办", "transfer": "转办"}
FIELD_LABELS = {
    "caller_phone": "来电号码", "caller_name": "姓名", "nature": "性质", "category": "分类", "place": "地点",
    "address": "地址", "description": "诉求", "lead": "主办单位", "assist": "协办单位", "answer": "答复内容",
    "transfer_to": "转至",
}


@dataclass
class IntakeValues:
    caller_phone: str = ""
    caller_name: str = ""
    anonymous: bool = False
    confidential: bool = False
    channel: str = "hotline"
    nature: str = ""
    category: list[str] = field(default_factory=list)  # chosen from the taxonomy; empty = none chosen
    category_typed: str = ""  # what is in the category box (to tell "typed but not chosen" from empty)
    place: str = ""  # a unit code from the directory, chosen; empty = none
    place_typed: str = ""
    address: str = ""
    description: str = ""
    urgency: str = "normal"
    mode: str = "dispatch"
    lead: str = ""
    assist: list[str] = field(default_factory=list)
    answer: str = ""
    transfer_to: str = ""


def phone_status(raw: str, anonymous: bool) -> tuple[str, Phone | None]:
    """("ok"|"typing"|"bad"|"empty"|"anonymous", parsed) for the mark beside the number as it is typed."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if not raw.strip():
        return ("anonymous" if anonymous else "empty"), None
    parsed = parse_phone(raw)
    if parsed is not None:
        return "ok", parsed
    if any(not (ch.isdigit() or ch in " -+()（）") for ch in raw):
        return "bad", None
    if len(digits) < 11 and (digits.startswith("1") or digits.startswith("0")):
        return "typing", None
    return "bad", None


def _text_problem(value: str, name: str, kind: str) -> str | None:
    try:
        clean_text(value, name, kind=kind)
    except InputError as exc:
        return str(exc)
    return None


def check(v: IntakeValues, unit_exists=None) -> dict[str, str]:
    """Problems by field, in the order of the form: empty when the request can be saved."""
    out: dict[str, str] = {}
    status, _ = phone_status(v.caller_phone, v.anonymous)
    if status == "empty":
        out["caller_phone"] = "请输入来电号码, 或标记匿名"
    elif status in ("typing", "bad"):
        out["caller_phone"] = "号码不完整" if status == "typing" else "不是手机或座机号码"
    for name, value in (("caller_name", v.caller_name), ("address", v.address)):
        problem = _text_problem(value, name, "line")
        if problem:
            out[name] = problem
    if v.nature not in NATURES:
        out["nature"] = "请选择性质"
    if v.category_typed.strip() and not v.category:
        out["category"] = "分类未选定: Enter 选用列表中的一项"
    if v.place_typed.strip() and not v.place:
        out["place"] = "地点未选定: Enter 选用列表中的一项, 或 ctrl+u 查找"
    elif v.place and unit_exists is not None and not unit_exists(v.place):
        out["place"] = f"目录中没有单位 {v.place}"
    if not v.description.strip():
        out["description"] = "请记录诉求内容"
    else:
        problem = _text_problem(v.description, "description", "description")
        if problem:
            out["description"] = problem
    if v.mode in ("dispatch", "lead_assist"):
        if not v.lead:
            out["lead"] = "请选择主办单位 (alt+1/2/3 采用建议, 或 ctrl+u 查找)"
        elif unit_exists is not None and not unit_exists(v.lead):
            out["lead"] = f"目录中没有单位 {v.lead}"
        if v.mode == "lead_assist":
            if not v.assist:
                out["assist"] = "主办+协办: 请填写协办单位"
            elif v.lead in v.assist:
                out["assist"] = "协办单位不能同时是主办单位"
            elif unit_exists is not None:
                unknown = [c for c in v.assist if not unit_exists(c)]
                if unknown:
                    out["assist"] = f"目录中没有单位 {unknown[0]}"
    elif v.mode == "answer":
        if not v.answer.strip():
            out["answer"] = "直接答复: 请填写答复内容"
        else:
            problem = _text_problem(v.answer, "answer", "description")
            if problem:
                out["answer"] = problem
    elif v.mode == "transfer" and not v.transfer_to:
        out["transfer_to"] = "请选择转至 110/119/120/122 或其他热线"
    return out


def to_request(v: IntakeValues) -> dict[str, Any]:
    """The request as ``parse_intake`` (and ``hotline ticket new``) takes it."""
    data: dict[str, Any] = {
        "caller_phone": v.caller_phone.strip(), "caller_name": v.caller_name.strip(), "anonymous": v.anonymous,
        "confidential": v.confidential, "channel": v.channel, "nature": v.nature, "category": list(v.category),
        "address": v.address.strip(), "description": v.description.strip(), "urgency": v.urgency,
    }
    if v.place:
        data["place"] = v.place
    if v.mode == "dispatch":
        data["handling"] = {"mode": "dispatch", "lead": v.lead}
    elif v.mode == "lead_assist":
        data["handling"] = {"mode": "dispatch", "lead": v.lead, "assist": list(v.assist)}
    elif v.mode == "answer":
        data["handling"] = {"mode": "answer", "answer": v.answer.strip()}
    elif v.mode == "transfer":
        data["handling"] = {"mode": "transfer", "to": v.transfer_to}
    return data


def split_codes(text: str) -> list[str]:
    """Unit codes typed into a list field: commas (either width), spaces or 、 between them."""
    for sep in ("，", "、", " "):
        text = text.replace(sep, ",")
    return [c.strip() for c in text.split(",") if c.strip()]
