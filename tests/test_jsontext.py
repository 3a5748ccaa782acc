"""The store's JSON text through orjson: the same text the standard library wrote, the same values read
back, and what orjson refuses still handled; payloads read exactly as before; the bulk Event factory.
Bad inputs tried: lone surrogates, integers beyond 64 bits, NaN and infinities, non-string keys, escape
sequences and control characters."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline_tui.domain.events import Event, event_of
from hotline_tui.jsontext import dumps_sorted
from hotline_tui.store.event_store import decode_payload, row_event


def std(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))  # every character but lone surrogates
scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | texts
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
                      max_leaves=20)


@settings(max_examples=300)
@given(values)
def test_the_text_is_the_standard_librarys(value):
    assert dumps_sorted(value) == std(value)
    assert json.loads(dumps_sorted(value)) == value


@settings(max_examples=200)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_finite_floats_read_back_the_same(x):
    assert json.loads(dumps_sorted({"x": x})) == {"x": x}


@pytest.mark.parametrize("value", [
    {"a": "\ud800 lone surrogate"},  # orjson refuses: the standard library writes it as before
    {"n": 2**64},  # beyond 64 bits
    {1: "a key that is not a string"},
    {"deep": [{"n": -(2**70)}]},
])
def test_what_orjson_refuses_is_written_by_the_standard_library(value):
    assert dumps_sorted(value) == std(value)


def test_escape_sequences_and_control_characters_are_escaped_as_before():
    value = {"t": "\x1b[31m红\x1b[0m\x00\x07\t\n\r\x7f\u2028\"\\"}
    assert dumps_sorted(value) == std(value)
    assert "\x1b" not in dumps_sorted(value)


def test_nan_is_written_as_null():
    assert dumps_sorted({"x": math.nan, "y": math.inf}) == '{"x":null,"y":null}'


@pytest.mark.parametrize("text", ['{"a":NaN}', '{"n":123456789012345678901234567890}', '{"s":"\\ud800"}'])
def test_a_payload_is_read_exactly_as_the_standard_library_reads_it(text):
    assert repr(decode_payload(text)) == repr(json.loads(text))  # the huge integer stays an integer


def test_event_of_is_the_event_the_constructor_makes():
    args = ("0190a0e0-0000-7000-8000-000000000001", "QD-A01-20261102-00001", 123, "A01", "王芳", "note", {"text": "x"})
    made, fast = Event(*args), event_of(*args)
    assert fast == made and repr(fast) == repr(made)
    assert fast.order == made.order and fast.payload_json() == made.payload_json()
    with pytest.raises(AttributeError):
        fast.kind = "close"  # still frozen
    assert row_event((*args[:6], '{"text":"x"}')) == made
