"""The filter language's words: fields, their Chinese names, the values they take, and the keywords.

One table, read by the compiler (what a term means), by completion (what may be typed next) and by the help.
Vocabulary comes from ``domain.vocabulary``, so a state, channel or nature is named the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.domain.vocabulary import CHANNELS, COMMITMENTS, FLAGS, NATURES, SATISFACTIONS, STATES, URGENCIES

# Ticket states a deadline runs in: with the unit (dispatched, claimed) or with the centre deciding a return.
RUNNING = ("dispatched", "claimed", "return_review")
OPEN = ("registered", "dispatched", "claimed", "return_review", "reply_review")
FINAL = ("closed", "transferred", "merged")


@dataclass(frozen=True)
class FieldDef:
    name: str
    kind: str  # enum | unit | place | category | count | date | age | left | word | number | text | sort
    label: str  # Chinese, for explanations and completion
    aliases: tuple[str, ...] = ()
    column: str = ""
    values: tuple[tuple[str, str], ...] = ()  # (code, label) for enums
    help: str = ""


def _pairs(table: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(table.items())


STATE_VALUES = _pairs(STATES) + (("open", "未办结"), ("unfinished", "未完结"), ("final", "已结束"))
CALLBACK_VALUES = _pairs(SATISFACTIONS) + (("none", "未回访"),)
SORTS = (("due", "时限 (最紧先)"), ("age", "受理 (最早先)"), ("new", "受理 (最新先)"),
         ("repeats", "来电次数 (最多先)"), ("unit", "承办单位"))

FIELDS: tuple[FieldDef, ...] = (
    FieldDef("state", "enum", "状态", ("状态",), "state", STATE_VALUES, "办理状态; open = 未办结"),
    FieldDef("unit", "unit", "承办单位", ("承办", "主办", "承办单位", "lead"), "lead_unit", help="主办单位, 含其下属单位"),
    FieldDef("assist", "unit", "协办单位", ("协办",), "", help="协办单位, 含其下属单位"),
    FieldDef("place", "place", "地点", ("地点", "属地", "区域", "district"), "place", help="区市、街道、社区, 含其下"),
    FieldDef("channel", "enum", "渠道", ("渠道", "来源"), "channel", _pairs(CHANNELS), "六个渠道"),
    FieldDef("nature", "enum", "性质", ("性质",), "nature", _pairs(NATURES), "诉求性质"),
    FieldDef("category", "category", "分类", ("分类", "类别"), "category", help="诉求分类, 含其下级"),
    FieldDef("flag", "enum", "标记", ("标记", "flags"), "flags", _pairs(FLAGS), "工单标记"),
    FieldDef("urgency", "enum", "紧急程度", ("紧急程度", "紧急"), "urgency", _pairs(URGENCIES), "一般/紧急/特急"),
    FieldDef("callback", "enum", "回访", ("回访", "满意度"), "callback", CALLBACK_VALUES, "本轮回访的满意度"),
    FieldDef("commitment", "commitment", "不解决找我", ("承诺", "不解决找我"), "commit_due_ms", _pairs(COMMITMENTS),
             "挂职干部的承诺: unkept 未兑现, kept 已兑现, open 承诺中, any"),
    FieldDef("repeat", "count", "来电次数", ("来电次数", "重复", "calls"), "call_count", help="同一事项来电次数, repeat>=3"),
    FieldDef("returned", "count", "退单次数", ("退单次数", "退单", "returns"), "return_count", help="退单次数"),
    FieldDef("urged", "count", "催办次数", ("催办次数", "urges"), "urge_count", help="催办次数"),
    FieldDef("reopened", "count", "重办次数", ("重办次数", "重办"), "reopen_count", help="重办次数"),
    FieldDef("extended", "count", "延期次数", ("延期次数", "延期"), "extension_count", help="延期次数"),
    FieldDef("age", "age", "受理至今", ("受理天数", "天数"), "registered_ms", help="受理至今: age>15d, 12h, 2w"),
    FieldDef("left", "left", "剩余工作日", ("剩余", "剩余工作日"), "due_ms", help="时限剩余工作日; 负数为超期"),
    FieldDef("due", "date", "时限", ("时限", "到期"), "due_ms", help="办理时限日期: due<2026-12-05"),
    FieldDef("registered", "date", "受理日期", ("受理", "受理日期", "date"), "registered_ms", help="受理日期: registered:2026-11"),
    FieldDef("claimed", "date", "签收日期", ("签收日期",), "claimed_ms", help="签收日期"),
    FieldDef("replied", "date", "答复日期", ("答复日期",), "replied_ms", help="答复日期"),
    FieldDef("closed", "date", "办结日期", ("办结日期",), "closed_ms", help="办结日期"),
    FieldDef("operator", "word", "受理人", ("受理人", "接线员"), "registered_by", help="登记工单的接线员"),
    FieldDef("actor", "actor", "经办人", ("经办人", "操作人"), "", help="在时间线上记录过操作的人"),
    FieldDef("desk", "desk", "受理台", ("台号", "坐席"), "desk", help="受理台号, desk:A07"),
    FieldDef("number", "number", "工单编号", ("编号", "工单编号", "no"), "number", help="工单编号 (前缀)"),
    FieldDef("text", "text", "内容", ("内容", "全文", "搜索"), "", help="诉求、答复、进展、备注中的文字"),
    FieldDef("sort", "sort", "排序", ("排序",), "", SORTS, "due / age / new / repeats / unit"),
)
BY_NAME: dict[str, FieldDef] = {}
for _f in FIELDS:
    for _name in (_f.name, *_f.aliases):
        BY_NAME[_name.lower()] = _f

# Bare words with a fixed meaning: (canonical word, label, the filter it stands for).
KEYWORDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("overdue", "超期", ("超期", "逾期")),
    ("due-soon", "一个工作日内到期", ("将到期", "临期")),
    ("open", "未办结", ("未办结", "在办")),
    ("unfinished", "未完结", ("未完结",)),
    ("urgent", "紧急或特急", ()),
    ("unsatisfied", "回访不满意", ("不满意",)),
    ("disputed", "回访不一致", ()),
    ("repeated", "重复件", ()),
    ("listed", "挂牌督办", ("挂牌",)),
    ("supervised", "督办", ()),
    ("escalated", "已移交", ("移交",)),
    ("urged-any", "催办过", ()),
)
KEYWORD_ALIASES: dict[str, str] = {}
for _word, _label, _aliases in KEYWORDS:
    for _name in (_word, _label, *_aliases):
        KEYWORD_ALIASES[_name.lower()] = _word


def field_named(name: str) -> FieldDef | None:
    return BY_NAME.get(name.lower())


def enum_code(f: FieldDef, value: str) -> str | None:
    """The code an enum value names: its code or its label, any case; channel and state also by common
    names (人民网领导留言板, 12345, 办理中 …)."""
    v = value.strip().lower()
    for code, label in f.values:
        if v in (code.lower(), label.lower()):
            return code
    return _EXTRA.get(f.name, {}).get(v)


_EXTRA = {
    "channel": {"12345": "hotline", "热线": "hotline", "人民网领导留言板": "message_board", "留言板": "message_board",
                "人民网": "message_board", "信箱": "mailbox", "日报": "newspaper", "报纸": "newspaper",
                "广播电视台": "radio_tv", "电视台": "radio_tv", "广播": "radio_tv", "来信来访": "petition"},
    "flag": {"disputed": "disputed_callback", "重复": "repeat", "挂牌": "listed", "移交": "escalated"},
    "urgency": {"紧急件": "urgent", "特急件": "emergency"},
    "callback": {"不满意件": "unsatisfied", "未回访件": "none", "pending": "none"},
    "commitment": {"承诺未兑现": "unkept", "未兑现承诺": "unkept", "broken": "unkept", "all": "any", "有": "any"},
}
