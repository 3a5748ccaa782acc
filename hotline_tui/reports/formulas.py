"""The monthly ranking's formulas, ranking weights and deduction rules: the one place that says them.

The defaults are here; a desk may override them in its config file's ``[report]`` table (every desk of a city
should carry the same, and a published report keeps the formulas it was computed with)::

    [report.rates]                  # rate = numerator / denominator, both count names below
    claim_rate = ["claimed_in_time", "dispatched"]
    [report.rank]                   # the score a unit is ranked by: the weighted mean of its defined rates
    claim_rate = 1
    completion_rate = 1
    feedback_rate = 1
    [[report.deductions]]           # per point below target, capped; a month's deduction is their sum
    rate = "claim_rate"
    target = 0.95
    per_point = 0.1
    cap = 2.0
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline_tui.errors import InputError

# What each count of a row means (README "Monthly ranking" says the same in words).
COUNTS: dict[str, str] = {
    "dispatched": "派单",
    "claimed": "签收",
    "claimed_in_time": "按时签收",
    "returned": "退单",
    "due": "当月到期",
    "replied": "答复",
    "replied_in_time": "按时答复",
    "closed": "办结",
    "overdue": "超期",
    "callbacks": "回访",
    "satisfied": "满意",
}

DEFAULT_RATES: dict[str, tuple[str, str]] = {
    "claim_rate": ("claimed_in_time", "dispatched"),
    "completion_rate": ("closed", "due"),
    "feedback_rate": ("replied_in_time", "due"),
    "satisfaction_rate": ("satisfied", "callbacks"),
    "on_time_rate": ("replied_in_time", "replied"),
}
RATE_TEXT = {"claim_rate": "认领率", "completion_rate": "办结率", "feedback_rate": "反馈率",
             "satisfaction_rate": "满意率", "on_time_rate": "按时答复率"}
DEFAULT_RANK: dict[str, float] = {"claim_rate": 1.0, "completion_rate": 1.0, "feedback_rate": 1.0}
DEFAULT_DEDUCTIONS: tuple[dict[str, Any], ...] = (
    {"rate": "claim_rate", "target": 0.95, "per_point": 0.1, "cap": 2.0},
    {"rate": "completion_rate", "target": 0.90, "per_point": 0.1, "cap": 2.0},
    {"rate": "feedback_rate", "target": 0.90, "per_point": 0.1, "cap": 2.0},
    {"rate": "satisfaction_rate", "target": 0.85, "per_point": 0.05, "cap": 1.0},
)


@dataclass(frozen=True)
class Rules:
    rates: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(DEFAULT_RATES))
    rank: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_RANK))
    deductions: tuple[dict[str, Any], ...] = DEFAULT_DEDUCTIONS

    def rate(self, name: str, counts: dict[str, int]) -> float | None:
        """The rate, or None where its denominator is 0 (shown as —, never a division error)."""
        num, den = self.rates[name]
        d = counts.get(den, 0)
        return None if not d else counts.get(num, 0) / d

    def score(self, rates: dict[str, float | None]) -> float | None:
        """The weighted mean of the ranked rates that are defined; None when none is."""
        total = weight = 0.0
        for name, w in self.rank.items():
            value = rates.get(name)
            if value is not None and w:
                total += w * value
                weight += w
        return total / weight if weight else None

    def deduction(self, rates: dict[str, float | None]) -> float:
        """Points deducted for one month: per rule, ``per_point`` for each percentage point below ``target``,
        at most ``cap``; an undefined rate (nothing to count) deducts nothing."""
        total = 0.0
        for rule in self.deductions:
            value = rates.get(rule["rate"])
            if value is None or value >= rule["target"]:
                continue
            total += min(rule["cap"], (rule["target"] - value) * 100 * rule["per_point"])
        return round(total, 2)

    def describe(self) -> dict[str, Any]:
        """What the report prints under ``formulas``."""
        out: dict[str, Any] = {name: f"{num} / {den}" for name, (num, den) in self.rates.items()}
        out["rank"] = "weighted mean of " + ", ".join(f"{w:g}×{n}" for n, w in self.rank.items()) + " (defined rates only)"
        out["rank_weights"] = dict(self.rank)
        out["deductions"] = [dict(r) for r in self.deductions]
        return out

    def describe_zh(self) -> list[str]:
        """The same in the words the Markdown report and F6 print."""
        lines = [f"{RATE_TEXT.get(n, n)} = {COUNTS[num]} ÷ {COUNTS[den]}" for n, (num, den) in self.rates.items()]
        lines.append("排名按 " + " + ".join(f"{w:g}×{RATE_TEXT.get(n, n)}" for n, w in self.rank.items()) + " 的加权平均 (无数据的率不计)")
        for r in self.deductions:
            lines.append(f"扣分: {RATE_TEXT.get(r['rate'], r['rate'])} 低于 {r['target']:.0%} 每个百分点扣 {r['per_point']:g} 分, "
                         f"最多 {r['cap']:g} 分")
        return lines


def _number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise InputError(f"config [report] {where} must be a number ≥ 0, not {value!r}")
    return float(value)


def rules_from(raw: dict[str, Any] | None) -> Rules:
    """Rules from a ``[report]`` table (defaults for what it leaves out); a bad entry is refused by name."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise InputError("config [report] must be a table")
    rates = dict(DEFAULT_RATES)
    for name, pair in (raw.get("rates") or {}).items():
        if (not isinstance(pair, (list, tuple)) or len(pair) != 2 or any(p not in COUNTS for p in pair)):
            raise InputError(f"config [report.rates] {name} must be [numerator, denominator] from: {', '.join(COUNTS)}")
        rates[name] = (pair[0], pair[1])
    rank = dict(DEFAULT_RANK)
    if raw.get("rank") is not None:
        rank = {}
        for name, w in raw["rank"].items():
            if name not in rates:
                raise InputError(f"config [report.rank] {name}: no such rate ({', '.join(rates)})")
            rank[name] = _number(w, f"rank.{name}")
    deductions = DEFAULT_DEDUCTIONS
    if raw.get("deductions") is not None:
        rules = []
        for i, r in enumerate(raw["deductions"], 1):
            if not isinstance(r, dict) or r.get("rate") not in rates:
                raise InputError(f"config [[report.deductions]] #{i} needs rate = one of {', '.join(rates)}")
            rules.append({"rate": r["rate"], "target": _number(r.get("target", 0.9), f"deductions #{i} target"),
                          "per_point": _number(r.get("per_point", 0.1), f"deductions #{i} per_point"),
                          "cap": _number(r.get("cap", 2.0), f"deductions #{i} cap")})
        deductions = tuple(rules)
    return Rules(rates, rank, deductions)


def load_rules(config_file: Path | None) -> Rules:
    """The rules of the desk's config file (its ``[report]`` table), or the defaults."""
    if config_file is None:
        return Rules()
    try:
        with Path(config_file).open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        return Rules()
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"config file {config_file} cannot be read: {exc}") from None
    return rules_from(raw.get("report"))
