"""Plain-text rendering of tickets for the command line."""

from __future__ import annotations

from hotline_tui.domain.policy import format_local
from hotline_tui.domain.text import printable
from hotline_tui.domain.vocabulary import ACTIONS, CHANNELS, FLAGS, NATURES, STATES, label


HIDDEN = ("due_ms", "claim_due_ms", "due_estimated", "description", "caller_phone", "caller_name", "anonymous", "confidential",
          "bulk",  # the audit's mark of one action on many
          "caller_key", "caller_phone_enc", "caller_name_enc")


def print_ticket(view, unit_name=lambda code: code) -> None:
    t = view.ticket
    assists = ", ".join(unit_name(u) for u in t.assist_units) or "-"
    print(f"{t.number}  {label(STATES, t.state)}  主办 {unit_name(t.lead_unit) or '-'}  协办 {assists}")
    print(f"{label(NATURES, t.nature)} · {' › '.join(t.category) or '未分类'} · {t.address or '-'} · {label(CHANNELS, t.channel)} · {view.caller_name} {view.caller_phone}")
    if t.due_ms:
        print(f"时限 {format_local(t.due_ms, '%Y-%m-%d')}{' (估算)' if t.due_estimated else ''}")
    if t.flags:
        print("标记 " + " ".join(label(FLAGS, f) for f in t.flags))
    if getattr(view, "commitment", None):
        status = {"open": "承诺中", "kept": "已兑现", "unkept": "未兑现"}[view.commitment]
        print(printable(f"不解决找我 {t.commit_by} ({unit_name(t.commit_unit) or '-'}) 承诺 {t.commit_due} 前办结"
                        f" · 联系 {t.commit_contact} · {status}"))
    print(t.description)
    print("-" * 60)
    for e in view.events:
        detail = " ".join(f"{k}={unit_name(v) if k in ('lead', 'place') else v}" for k, v in e.payload.items()
                          if k not in HIDDEN and v not in ("", [], None, False))
        print(f"{format_local(e.hlc >> 16)}  {e.desk:<5} {e.actor:<10} {label(ACTIONS, e.kind):<8} {detail[:100]}")


def print_ticket_rows(rows: list[dict]) -> None:
    for r in rows:
        print(f"{r['number']}  {format_local(r['registered_ms'])}  {label(STATES, r['state']):<6} {r['lead_unit'] or '-':<12} {r['summary'][:40]}")
