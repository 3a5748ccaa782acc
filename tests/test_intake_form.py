"""The intake form's checks (hotline_tui/domain/intake_form.py), one per message, and what a save sends.

Bad input tried: no number, half a number, letters in the number, a foreign-looking number, control
characters and ESC in name/address/description/answer, a bidi override, an over-long description, a
typed-but-unchosen category and place, unknown units, a lead repeated as assist, empty answer, no
transfer target.
"""

from __future__ import annotations

import pytest

from hotline_tui.domain.intake import parse_intake
from hotline_tui.domain.intake_form import IntakeValues, check, phone_status, split_codes, to_request

KNOWN = {"370203021", "370203", "370203-CGJ"}


def ok_values(**over) -> IntakeValues:
    v = IntakeValues(caller_phone="138 0532 1234", nature="complaint", category=["城乡建设", "市容环境", "占道经营"],
                     category_typed="占道经营", place="370203021", place_typed="台东街道", description="烧烤摊占道",
                     lead="370203-CGJ")
    for k, value in over.items():
        setattr(v, k, value)
    return v


def problems(**over) -> dict[str, str]:
    return check(ok_values(**over), KNOWN.__contains__)


def test_a_complete_form_has_no_problems_and_parses_as_the_cli_would():
    assert problems() == {}
    draft = parse_intake(to_request(ok_values()))
    assert draft.register["caller_phone"] == "13805321234"
    assert draft.handling == ("dispatch", {"lead": "370203-CGJ"})


@pytest.mark.parametrize(("raw", "status"), [
    ("", "empty"), ("1380532", "typing"), ("0532", "typing"), ("13805321234", "ok"), ("0532-8286 1234", "ok"),
    ("+86 138 0532 1234", "ok"), ("82861234", "ok"), ("abc", "bad"), ("1380532123456", "bad"), ("9999", "bad"),
])
def test_phone_status_as_typed(raw, status):
    assert phone_status(raw, anonymous=False)[0] == status


@pytest.mark.parametrize(("over", "field", "words"), [
    ({"caller_phone": ""}, "caller_phone", "请输入来电号码"),
    ({"caller_phone": "13805"}, "caller_phone", "号码不完整"),
    ({"caller_phone": "12a"}, "caller_phone", "不是手机或座机号码"),
    ({"caller_name": "张\x1b[31m先生"}, "caller_name", "escape"),
    ({"address": "台东\x07三路"}, "address", "U+0007"),
    ({"nature": ""}, "nature", "请选择性质"),
    ({"category": [], "category_typed": "zdjy"}, "category", "分类未选定"),
    ({"place": "", "place_typed": "台东"}, "place", "地点未选定"),
    ({"place": "999999"}, "place", "目录中没有单位"),
    ({"description": "  "}, "description", "请记录诉求内容"),
    ({"description": "油烟\u202e扰民"}, "description", "U+202E"),
    ({"description": "长" * 5001}, "description", "characters long"),
    ({"lead": ""}, "lead", "请选择主办单位"),
    ({"lead": "999999"}, "lead", "目录中没有单位"),
    ({"mode": "lead_assist"}, "assist", "请填写协办单位"),
    ({"mode": "lead_assist", "assist": ["370203-CGJ"]}, "assist", "不能同时是主办单位"),
    ({"mode": "lead_assist", "assist": ["888"]}, "assist", "目录中没有单位"),
    ({"mode": "answer"}, "answer", "请填写答复内容"),
    ({"mode": "answer", "answer": "见\x1b]52;c;x\x07"}, "answer", "escape"),
    ({"mode": "transfer"}, "transfer_to", "请选择转至"),
])
def test_each_problem_is_named_on_its_field(over, field, words):
    found = problems(**over)
    assert field in found and words in found[field], found


def test_anonymous_needs_no_number_and_answer_or_transfer_need_no_lead():
    assert problems(caller_phone="", anonymous=True) == {}
    assert problems(mode="answer", lead="", answer="已告知办理地点") == {}
    assert problems(mode="transfer", lead="", transfer_to="110") == {}


def test_what_each_mode_sends():
    assert to_request(ok_values(mode="answer", answer=" 已答复 "))["handling"] == {"mode": "answer", "answer": "已答复"}
    assert to_request(ok_values(mode="transfer", transfer_to="119"))["handling"] == {"mode": "transfer", "to": "119"}
    sent = to_request(ok_values(mode="lead_assist", assist=["370203"]))["handling"]
    assert sent == {"mode": "dispatch", "lead": "370203-CGJ", "assist": ["370203"]}
    assert "place" not in to_request(ok_values(place=""))


def test_split_codes_takes_either_comma_space_or_dunhao():
    assert split_codes("370203, 370202，370211、 D-CGJ  ") == ["370203", "370202", "370211", "D-CGJ"]
    assert split_codes(" , ") == []
