"""Bad input at the door: each kind tried here is refused with a clear reason and writes nothing.

Tried: not an object, unknown field, missing description, wrong types (number for text, string for
bool, dict for category), ESC and CSI escape sequences, NUL and other control characters, bidi
overrides, oversized text, bad phone, unknown channel/nature, bad handling mode, unknown unit.
"""

import re

import pytest

from hotline_tui.domain.intake import parse_intake
from hotline_tui.domain.phone import mask_phone, parse_phone
from hotline_tui.errors import InputError
from tests.deskkit import event_count, make_desk, new_request

BAD = [
    ([1, 2], "must be a JSON object"),
    (new_request(colour="red"), "unknown field 'colour'"),
    (new_request(description=""), "description is required"),
    (new_request(description=42), "description must be text"),
    (new_request(anonymous="yes"), "anonymous must be true or false"),
    (new_request(category={"a": 1}), "category must be a list"),
    (new_request(category=["a", "b", "c", "d"]), "at most 3 levels"),
    (new_request(description="噪音\x1b[2J扰民"), "terminal escape sequence"),
    (new_request(description="噪音\x9b31m扰民"), "terminal escape sequence"),
    (new_request(caller_name="张\x00三"), "control character U+0000"),
    (new_request(address="台东\u202e路"), "control character U+202E"),
    (new_request(caller_name="张\n三"), "single line"),
    (new_request(description="长" * 4001), "at most 4000"),
    (new_request(caller_phone="12345"), "not a mobile or landline"),
    (new_request(caller_phone=""), "required unless the caller is anonymous"),
    (new_request(channel="tiktok"), "channel 'tiktok' is not one of"),
    (new_request(nature=None), "nature is required"),
    (new_request(handling={"mode": "teleport"}), "handling.mode must be one of"),
    (new_request(handling={"mode": "answer", "lead": "x"}), "does not take 'lead'"),
    (new_request(handling="dispatch"), "handling must be an object"),
]


@pytest.mark.parametrize("data,message", BAD, ids=[m for _, m in BAD])
def test_bad_intake_is_refused_and_nothing_is_written(tmp_path, data, message):
    desk = make_desk(tmp_path)
    desk.register(new_request())
    with pytest.raises(InputError, match=re.escape(message)):
        desk.register(data)
    assert event_count(desk) == 1


def test_unknown_place_unit_is_refused(tmp_path):
    desk = make_desk(tmp_path)
    with pytest.raises(InputError, match="unknown unit 'X1'"):
        desk.register(new_request(place="X1"))


def test_labels_and_codes_are_both_accepted():
    draft = parse_intake(new_request(channel="政府信箱", nature="咨询", category="城乡建设 › 供热 › 暖气不热"))
    assert draft.register["channel"] == "mailbox" and draft.register["nature"] == "consultation"
    assert draft.register["category"] == ["城乡建设", "供热", "暖气不热"]


def test_anonymous_caller_needs_no_number():
    assert parse_intake(new_request(caller_phone="", anonymous=True)).register["caller_phone"] == ""


@pytest.mark.parametrize("raw,number,kind", [
    ("138 0532 1234", "13805321234", "mobile"),
    ("+86 139-1234-5678", "13912345678", "mobile"),
    ("0532-8288 1234", "053282881234", "landline_qd"),
    ("82881234", "053282881234", "landline_qd"),
    ("010-62881234", "01062881234", "landline_other"),
])
def test_phone_numbers_are_recognised_and_normalised(raw, number, kind):
    p = parse_phone(raw)
    assert (p.number, p.kind) == (number, kind)


def test_masking():
    assert mask_phone("13805321234") == "138****1234"
    assert mask_phone("053282881234") == "0532****1234"
