"""The config's ``[rules] similar_days``: how far back intake looks for similar open requests."""

from __future__ import annotations

import pytest

from hotline_tui.config import load_settings
from hotline_tui.errors import InputError
from hotline_tui.services import Desk


def write_config(tmp_path, text: str) -> None:
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")  # HOTLINE_CONFIG points here (conftest)


def test_thirty_days_without_a_config(tmp_path):
    assert load_settings().similar_days == 30


def test_the_config_sets_it(tmp_path):
    write_config(tmp_path, "[desk]\ncode = \"A07\"\n\n[rules]\nsimilar_days = 14\nfrequent_return = 4\n")
    settings = load_settings()
    assert settings.similar_days == 14
    policy = Desk(settings).policy  # one value for the rule, wherever it is read
    assert policy.rule("similar_days") == 14 and policy.rule("frequent_return") == 4


@pytest.mark.parametrize("value", ["0", "-1", "366", "\"30\"", "true", "7.5", "[30]"])
def test_a_bad_value_is_refused_with_its_name(tmp_path, value):
    write_config(tmp_path, f"[rules]\nsimilar_days = {value}\n")
    with pytest.raises(InputError, match=r"\[rules\] similar_days must be a whole number of days from 1 to 365"):
        load_settings()
