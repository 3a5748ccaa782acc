"""The config's ``[intake] similar_days``: how far back intake looks for similar open requests."""

from __future__ import annotations

import pytest

from hotline_tui.config import load_settings
from hotline_tui.errors import InputError


def write_config(tmp_path, text: str) -> None:
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")  # HOTLINE_CONFIG points here (conftest)


def test_thirty_days_without_a_config(tmp_path):
    assert load_settings().similar_days == 30


def test_the_config_sets_it(tmp_path):
    write_config(tmp_path, "[desk]\ncode = \"A07\"\n\n[intake]\nsimilar_days = 14\n")
    assert load_settings().similar_days == 14


@pytest.mark.parametrize("value", ["0", "-1", "366", "\"30\"", "true", "7.5", "[30]"])
def test_a_bad_value_is_refused_with_its_name(tmp_path, value):
    write_config(tmp_path, f"[intake]\nsimilar_days = {value}\n")
    with pytest.raises(InputError, match=r"\[intake\] similar_days must be a whole number of days from 1 to 365"):
        load_settings()
