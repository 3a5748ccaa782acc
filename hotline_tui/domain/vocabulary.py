"""The words of the hotline (DESIGN.md §2), as code names with their Chinese labels."""

from __future__ import annotations

CHANNELS = {
    "hotline": "12345热线",
    "message_board": "领导留言板",
    "mailbox": "政府信箱",
    "newspaper": "青岛日报",
    "radio_tv": "市广播电视台",
    "petition": "信访",
}

NATURES = {
    "complaint": "投诉",
    "consultation": "咨询",
    "suggestion": "建议",
    "help": "求助",
    "report": "举报",
    "praise": "表扬",
}

URGENCIES = {"normal": "一般", "urgent": "紧急", "emergency": "特急"}

STATES = {
    "registered": "已登记",
    "dispatched": "待签收",
    "claimed": "办理中",
    "return_review": "退单审核",
    "reply_review": "答复审核",
    "awaiting_callback": "待回访",
    "visited": "已回访",
    "closed": "已办结",
    "transferred": "已转办",
    "merged": "已并单",
}
OPEN_STATES = frozenset({"registered", "dispatched", "claimed", "return_review", "reply_review"})
FINAL_STATES = frozenset({"closed", "transferred", "merged"})

RETURN_REASONS = {
    "not_our_duty": "非本单位职责",
    "not_our_area": "非本辖区",
    "ownership_unclear": "权属不清",
}

SATISFACTIONS = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}

ESCALATION_TARGETS = {"discipline": "纪检监察", "media": "媒体"}

TRANSFER_TARGETS = {
    "110": "110 报警",
    "119": "119 火警",
    "120": "120 急救",
    "122": "122 交通事故",
    "other_hotline": "其他热线",
}

FLAGS = {
    "repeat": "重复件",
    "disputed_callback": "回访不一致",
    "supervised": "督办",
    "listed": "挂牌督办",
    "escalated": "已移交",
    "merged": "并单",
    "frequent_return": "多次退单",
    "bounced": "来回推诿",
    "conflict": "并发冲突",
    "urged": "催办",
}

ACTIONS = {
    "register": "受理",
    "add_call": "追加来电",
    "answer": "直接答复",
    "transfer": "转办",
    "dispatch": "派单",
    "claim": "签收",
    "return": "退单",
    "return_accept": "退单通过",
    "return_reject": "退单驳回",
    "reassign": "改派",
    "extend": "申请延期",
    "extend_approve": "延期批准",
    "extend_refuse": "延期驳回",
    "progress": "办理进展",
    "reply": "答复",
    "reply_approve": "答复审核通过",
    "reply_reject": "答复退回",
    "callback": "回访",
    "close": "办结",
    "reopen": "重办",
    "urge": "催办",
    "supervise": "督办",
    "list": "挂牌督办",
    "escalate": "移交",
    "merge": "并单",
    "merged_in": "并入",
    "note": "备注",
    "flag": "标记",
    "commit": "不解决找我",
    "renumber": "重复单号改号",
}

# A cadre's commitment (不解决找我), as the workbench and the monthly report name its outcome.
COMMITMENTS = {"open": "承诺中", "kept": "已兑现", "unkept": "未兑现", "any": "有承诺"}


def label(table: dict[str, str], code: str | None) -> str:
    if code is None:
        return ""
    return table.get(code, code)
