"""Locate the shipped data folder, in a source checkout and in an installed wheel alike."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def data_dir() -> Path:
    package = Path(__file__).resolve().parent
    installed = package / "data"  # the wheel maps the repository's data/ here
    if installed.is_dir():
        return installed
    checkout = package.parent / "data"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"the shipped data folder is missing (looked in {installed} and {checkout})")
