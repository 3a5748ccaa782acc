"""hotline export open311, checked field by field against GeoReport v2 (the spec's GET services and GET
requests responses, as its JSON schemas state them: required fields, status open/closed, type
realtime/batch/blackbox, metadata a boolean, keywords a comma-separated string, every date-time ISO 8601 per
the W3C note with its offset), with values the test knows from its own fixture (state → status, registration
time, lead unit's name, deadline, the place's path), no personal data (a canary phone and name, a phone in the
description and a home address typed by the operator appear nowhere), --since keeping the requests changed
since then, paging (a page of 3 still gives every request once, ties on the registration time included).
Bad input tried: a malformed --since, --out in a missing folder (nothing written), a cadre asking."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re

import pytest

from hotline_tui.domain.calendar import CHINA
from hotline_tui.errors import DomainError, InputError
from hotline_tui.exchange import open311
from tests.deskkit import SHINAN, TAIDONG, Clock, china_ms, new_request, shipped_desk

SPEC_REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                       "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                       "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}
REQUIRED_REQUEST = {"service_request_id", "status", "service_code", "requested_datetime"}
SPEC_SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUIRED_SERVICE = {"service_code", "service_name", "metadata", "type"}
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
CANARY_PHONE, CANARY_NAME = "13912340000", "王小明"
SECRET_PHONE, HOME = "13700001111", "幸福小区3号楼201"
CGJ = "370203-CGJ"


@pytest.fixture
def world(tmp_path):
    """Tickets through every kind of end, each step's time known: {number: (state, registered, last change)}."""
    clock = Clock(china_ms(2026, 11, 2, 9, 0))
    desk = shipped_desk(tmp_path, clock, role="supervisor")
    known = {}
    private = new_request(caller_phone=CANARY_PHONE, caller_name=CANARY_NAME, address=HOME,
                          description=f"我的电话{SECRET_PHONE}，家住{HOME}，门口烧烤摊油烟大")

    def reg(data, **kw):
        at = clock.ms
        number = desk.register(data, **kw)
        known[number] = [at, at]
        return number

    def act(number, action, fields):
        clock.advance(hours=2)
        desk.act(number, action, fields)
        known[number][1] = clock.ms

    a = reg({**private, "handling": {"mode": "dispatch", "lead": CGJ}})
    b = reg(new_request(nature="consultation", caller_phone=CANARY_PHONE, handling={"mode": "answer", "answer": "可到窗口办理"}))
    clock.advance(days=1)
    c = reg({**private, "handling": {"mode": "dispatch", "lead": TAIDONG}})
    for action, fields in (("claim", {}), ("reply", {"handling": "已处理", "answer": f"已联系{CANARY_NAME}", "resolved": True}),
                           ("reply_approve", {}), ("callback", {"satisfaction": "satisfied", "resolved": True}), ("close", {})):
        act(c, action, fields)
    d = reg(new_request(caller_name=CANARY_NAME, handling={"mode": "transfer", "to": "110"}))
    e = reg(new_request(category=[], place=SHINAN, caller_phone=CANARY_PHONE))
    f = reg(new_request(), merge_into=a)
    known[a][1] = known[f][1]  # the merge touched a too
    return desk, clock, known, {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def export(desk, since=None) -> tuple[str, dict]:
    out = io.StringIO()
    desk.export_open311(out, since=since)
    return out.getvalue(), json.loads(out.getvalue())


def iso_ms(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).timestamp() * 1000)


def test_every_field_follows_the_spec_and_the_fixture(world):
    desk, _clock, known, n = world
    text, doc = export(desk)
    assert doc["format"] == "open311-georeport-v2" and doc["jurisdiction_id"] == "QD" and doc["since"] is None
    services = {s["service_code"]: s for s in doc["services"]}
    assert len(services) == len(doc["services"])  # codes are unique
    for s in doc["services"]:
        assert REQUIRED_SERVICE <= set(s) <= SPEC_SERVICE_FIELDS
        assert isinstance(s["service_code"], str) and s["service_code"] and isinstance(s["service_name"], str)
        assert s["metadata"] is False and s["type"] in ("realtime", "batch", "blackbox")
        assert s["keywords"] is None or (isinstance(s["keywords"], str) and " ," not in s["keywords"])
        assert s["group"] is None or s["description"].startswith(s["group"])
    requests = {r["service_request_id"]: r for r in doc["service_requests"]}
    assert set(requests) == set(known)
    for number, r in requests.items():
        assert REQUIRED_REQUEST <= set(r) <= SPEC_REQUEST_FIELDS
        assert r["status"] in ("open", "closed")
        for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
            assert r[key] is None or (W3C.match(r[key]) and r[key].endswith("+08:00")), (key, r[key])
        assert r["service_code"] in services  # every request's service is listed
        t = desk.show(number).ticket
        assert r["status"] == ("closed" if t.state in ("closed", "transferred", "merged") else "open")
        assert iso_ms(r["requested_datetime"]) == known[number][0] // 1000 * 1000
        changed = t.closed_ms if r["status"] == "closed" and t.closed_ms else known[number][1]
        assert iso_ms(r["updated_datetime"]) == changed // 1000 * 1000
        assert r["expected_datetime"] == (None if t.due_ms is None else
                                          dt.datetime.fromtimestamp(t.due_ms // 1000, CHINA).isoformat())
    assert requests[n["a"]]["agency_responsible"] == "市北区城市管理局"
    assert requests[n["a"]]["address"] == "台东街道, 市北区, 青岛市"
    assert requests[n["a"]]["service_code"] == "cxjs-srhj-zdjy" and requests[n["a"]]["service_name"] == "占道经营"
    assert requests[n["c"]]["status_notes"] == "已办结 · 回访满意"
    assert requests[n["b"]]["status_notes"] == "已办结 · 直接答复" and requests[n["b"]]["agency_responsible"] == "12345热线"
    assert requests[n["d"]]["status_notes"] == "已转办 · 转至110 报警" and requests[n["d"]]["agency_responsible"] == "110 报警"
    assert requests[n["e"]]["service_code"] == "none" and services["none"]["service_name"] == "未分类"
    assert requests[n["f"]]["status_notes"] == f"已并单 · 并入{n['a']}"
    for secret in (CANARY_PHONE, CANARY_NAME, SECRET_PHONE, HOME, "13805321234", "张先生", "门口烧烤摊油烟大", "台东三路88号"):
        assert secret not in text, secret


def test_since_keeps_the_requests_changed_since_then(world):
    desk, _clock, known, _n = world
    cut = sorted(last for _reg, last in known.values())[2]
    since = dt.datetime.fromtimestamp(cut / 1000, CHINA).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    _text, doc = export(desk, since=since)
    assert {r["service_request_id"] for r in doc["service_requests"]} == {k for k, (_r, last) in known.items() if last >= cut}
    assert doc["since"] is not None and iso_ms(doc["since"]) == cut // 1000 * 1000


def test_pages_give_every_request_once(world, monkeypatch, tmp_path):
    desk, clock, known, _n = world
    path = tmp_path / "same.csv"  # two more registered in the same minute: the page boundary falls between ties
    from tests.csvkit import csv_text, row

    path.write_text(csv_text([row(number=f"OLD{i}", registered="2023-05-12 08:41", nature="投诉", description="占道",
                                  state="已登记") for i in range(1000, 1005)]), encoding="utf-8")
    desk.import_csv(str(path))
    monkeypatch.setattr(open311, "PAGE", 3)
    _text, doc = export(desk)
    ids = [r["service_request_id"] for r in doc["service_requests"]]
    assert sorted(ids) == sorted(list(known) + [f"OLD{i}" for i in range(1000, 1005)]) and len(ids) == len(set(ids))


def test_bad_since_cadre_and_unwritable_out(world, tmp_path, capsys):
    desk, _clock, _known, _n = world
    for bad in ("yesterday", "2026-13-01", "2026-11-01 25:00", "2026-11-01+08:00"):
        with pytest.raises(InputError, match="--since .* is not a date or date-time"):
            desk.export_open311(io.StringIO(), since=bad)
    from hotline_tui.cli import main

    missing = tmp_path / "no" / "such" / "out.json"
    assert main(["--db", str(desk.settings.store_path), "export", "open311", "--out", str(missing)]) != 0
    err = capsys.readouterr().err
    assert err.startswith("hotline: cannot write") and "does not exist" in err and not missing.parent.exists()
    out = tmp_path / "out.json"
    assert main(["--db", str(desk.settings.store_path), "export", "open311", "--out", str(out)]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["service_requests"]) == len(_known)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.json")] == []  # no part file left
    mask = os.umask(0o022)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # an ordinary file, not the temporary file's 0600
    from dataclasses import replace

    from hotline_tui.services import Desk

    cadre = Desk(replace(desk.settings, role="cadre", unit=CGJ))
    with pytest.raises(DomainError, match="cadre may not export"):
        cadre.export_open311(io.StringIO())
