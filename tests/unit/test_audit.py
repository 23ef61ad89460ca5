"""The audit trail: one JSON line per audited action with the right fields (sign-ins once an
hour, refusals, exports, packs' CLI form, uploads, publishes, restores, scope refusals),
appended safely by several processes, rotated, read with ``atlas audit`` and on
``/admin/audit``."""

from __future__ import annotations

import base64
import io
import json
import multiprocessing
from datetime import UTC, date, datetime, timedelta

import pytest

import cli
from accounts.audit import AuditLog, read_events
from accounts.users import add_user
from dashboard import ids
from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from tests.unit.serving import EDITOR, VIEWER, basic, call_as, make_users_file

AWA = ("awa", "awa-password-1")
START = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def events(path, **filters) -> list[dict]:
    return AuditLog(path).events(**filters)


# --- the file ----------------------------------------------------------------------------------

def test_an_event_is_one_json_line_with_time_user_action_and_fields(tmp_path):
    trail = AuditLog(tmp_path / "audit.jsonl", clock=Clock(START))
    trail.record("export", "awa", format="csv", size=12)
    lines = (tmp_path / "audit.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == [
        {"time": "2026-12-07T09:30:00+00:00", "user": "awa", "action": "export",
         "format": "csv", "size": 12}]


def test_the_trail_rotates_and_is_read_in_order(tmp_path):
    trail = AuditLog(tmp_path / "audit.jsonl", clock=Clock(START), max_bytes=400, backups=3)
    for i in range(30):
        trail.record("export", f"user{i}")
    files = trail.files()
    assert len(files) == 4 and all(path.stat().st_size <= 400 for path in files)
    users = [event["user"] for event in trail.events()]
    assert users == [f"user{i}" for i in range(30 - len(users), 30)]  # the oldest dropped


def _append_many(path: str, worker: int) -> None:
    trail = AuditLog(path, max_bytes=20_000, backups=50)
    for i in range(150):
        trail.record("export", f"w{worker}", index=i, view="?" + "x" * 100)


def test_several_processes_append_whole_lines(tmp_path):
    """Four processes, rotation included: every event is there once, every line whole."""
    path = str(tmp_path / "audit.jsonl")
    processes = [multiprocessing.get_context("fork").Process(target=_append_many,
                                                              args=(path, w))
                 for w in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    trail = AuditLog(path, backups=50)
    lines = [line for file in trail.files() for line in file.read_text().splitlines()]
    assert len(lines) == 600 and len(trail.files()) > 2
    seen = {(event["user"], event["index"]) for event in map(json.loads, lines)}
    assert len(seen) == 600


def test_a_sign_in_is_recorded_once_an_hour_whichever_worker_sees_it(tmp_path):
    clock = Clock(START)
    first, second = (AuditLog(tmp_path / "audit.jsonl", clock=clock) for _ in range(2))
    assert first.sign_in("awa", method="basic") is True
    assert second.sign_in("awa", method="basic") is False  # another worker, same hour
    clock.now = START + timedelta(minutes=59)
    assert first.sign_in("awa", method="basic") is False
    clock.now = START + timedelta(minutes=61)
    assert second.sign_in("awa", method="basic") is True
    assert [e["time"] for e in events(tmp_path / "audit.jsonl", action="sign_in")] == [
        "2026-12-07T09:30:00+00:00", "2026-12-07T10:31:00+00:00"]


def test_reading_filters_by_day_user_and_action(tmp_path):
    clock = Clock(START)
    trail = AuditLog(tmp_path / "audit.jsonl", clock=clock)
    trail.record("export", "awa")
    clock.now = START + timedelta(days=2)
    trail.record("export", "bob")
    trail.record("publish", "alice")
    (tmp_path / "audit.jsonl").open("a").write("not json\n")
    assert [e["user"] for e in trail.events(since=date(2026, 12, 8))] == ["bob", "alice"]
    assert [e["user"] for e in trail.events(user="awa")] == ["awa"]
    assert [e["user"] for e in read_events(trail.files(), action="publish")] == ["alice"]


# --- the app -------------------------------------------------------------------------------------

@pytest.fixture
def served(tmp_path):
    users = make_users_file(tmp_path / "users.json")
    add_user(users, AWA[0], "viewer", AWA[1], scope="region:africa")
    log = tmp_path / "audit.jsonl"
    clock = Clock(START)
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users),
                                   audit_log=str(log), data_root=str(tmp_path / "root")),
                     clock=clock)
    return app.server.test_client(), log, clock


_call = call_as


def _without_sign_ins(log) -> list[dict]:
    return [e for e in AuditLog(log).events() if e["action"] != "sign_in"]


def test_a_users_first_request_in_an_hour_is_a_sign_in(served):
    client, log, clock = served
    for _ in range(3):
        assert client.get("/", headers=basic(*VIEWER)).status_code == 200
    clock.now = START + timedelta(hours=2)
    client.get("/_dash-layout", headers=basic(*VIEWER))
    sign_ins = events(log, action="sign_in")
    assert [(e["user"], e["method"], e["time"]) for e in sign_ins] == [
        ("bob", "basic", "2026-12-07T09:30:00+00:00"),
        ("bob", "basic", "2026-12-07T11:30:00+00:00")]
    assert sign_ins[0]["address"] == "127.0.0.1"


def test_each_refusal_is_one_event(served):
    client, log, _ = served
    assert client.get("/", headers=basic(VIEWER[0], "wrong-password")).status_code == 401
    assert client.get("/admin/versions", headers=basic(*VIEWER)).status_code == 403
    refused = [(e["user"], e["reason"], e["path"]) for e in events(log, action="refused")]
    assert refused == [("bob", "bad_credentials", "/"), ("bob", "editors_only", "/admin/versions")]


EXPORT = {"lang.data": "en", "export-what.value": "page", "export-extent.value": "world",
          "export-size.value": "16:9", "export-scale.value": 1, "filter-mode.value": "programmes",
          "export-options.value": ["labels"], "export-include.value": ["legend"]}


@pytest.mark.parametrize(("fmt", "changed", "what"), [
    ("csv", f"{ids.export_table_button('csv')}.n_clicks", "table"),
    ("xlsx", f"{ids.export_table_button('xlsx')}.n_clicks", "table"),
    ("png", "export-confirm.n_clicks", "page"),
    ("pdf", "export-confirm.n_clicks", "page"),
])
def test_an_export_is_one_event_naming_user_format_view_and_size(served, fmt, changed, what):
    client, log, _ = served
    answer = _call(client, AWA, "export-status.children",
                   {**EXPORT, "export-format.value": fmt}, changed)
    sent = answer["response"][ids.EXPORT_DOWNLOAD]["data"]
    size = len(base64.b64decode(sent["content"]) if sent["base64"] else sent["content"])
    [event] = _without_sign_ins(log)
    assert event["action"] == "export" and event["user"] == "awa"
    assert (event["format"], event["what"], event["size"], event["source"]) == (
        fmt, what, size, "web")
    assert event["view"].startswith("?mode=programmes") and event["file"] == sent["filename"]


def test_a_brief_is_one_export_event(served):
    client, log, _ = served
    _call(client, AWA, "export-status.children",
          {"selected-country.data": "SEN", "lang.data": "fr"}, "panel-brief.n_clicks")
    [event] = _without_sign_ins(log)
    assert (event["action"], event["what"], event["format"]) == ("export", "brief", "pptx")
    assert "country=SEN" in event["view"]


def test_upload_publish_and_restore_are_one_event_each_with_what_changed(served):
    client, log, _ = served
    editor = {**basic(*EDITOR), "X-Atlas-Client": "test"}
    published = client.post("/admin/reload", headers=editor).get_json()
    rows = (DEMO_DATA_DIR / "programmes.csv").read_text(encoding="utf-8").splitlines()
    smaller = "\n".join(rows[:-10]).encode()
    uploaded = client.post("/admin/upload", headers=editor, content_type="multipart/form-data",
                           data={"files": [(io.BytesIO(smaller), "programmes.csv")]}).get_json()
    restored = client.post("/admin/restore", headers=editor,
                           json={"version": published["version"]}).get_json()
    assert published["ok"] and uploaded["ok"] and restored["ok"]
    publish, upload, restore = _without_sign_ins(log)
    assert (publish["action"], publish["user"], publish["version"], publish["ok"]) == (
        "publish", "alice", published["version"], True)
    assert (upload["action"], upload["version"], upload["previous"]) == (
        "upload", uploaded["version"], published["version"])
    assert upload["changed"]["programmes"] == -10 and upload["source"] == "web"
    assert (restore["action"], restore["version"], restore["previous"]) == (
        "restore", published["version"], uploaded["version"])
    assert restore["changed"]["programmes"] == 10


def test_a_refused_upload_is_one_event_saying_how_many_problems(served):
    client, log, _ = served
    editor = {**basic(*EDITOR), "X-Atlas-Client": "test"}
    client.post("/admin/upload", headers=editor, content_type="multipart/form-data",
                data={"files": [(io.BytesIO(b"programme_id\nX\n"), "programmes.csv")]})
    [event] = _without_sign_ins(log)
    assert event["action"] == "upload" and event["ok"] is False and event["problems"] > 0


def test_a_scope_refusal_is_one_event(served):
    client, log, _ = served
    _call(client, AWA, "panel.className",
          {"selected-country.data": "DEU", "lang.data": "fr"}, "selected-country.data")
    _call(client, AWA, "url.search", {"url.search": "?post=SSI-BERLIN"}, "url.search")
    refusals = [(e["user"], e["kind"], e["value"], e["route"]) for e in _without_sign_ins(log)]
    assert refusals == [("awa", "country", "DEU", "panel"), ("awa", "post", "SSI-BERLIN", "link")]


def test_editors_read_the_trail_in_the_dashboard(served):
    client, log, _ = served
    client.get("/", headers=basic(*AWA))
    client.get("/", headers=basic(VIEWER[0], "wrong-password"))
    assert client.get("/admin/audit", headers=basic(*VIEWER)).status_code == 403
    page = client.get("/admin/audit?lang=en", headers=basic(*EDITOR)).data.decode()
    assert "Audit trail" in page and "Access refused" in page and "Sign-in" in page
    assert "<td>awa</td>" in page
    only_awa = client.get("/admin/audit?user=awa&lang=fr", headers=basic(*EDITOR)).data.decode()
    assert "<td>awa</td>" in only_awa and "bad_credentials" not in only_awa
    assert "Journal d'audit" in only_awa or "Journal d&#39;audit" in only_awa
    def layout(user) -> str:
        return json.dumps(client.get("/_dash-layout", headers=basic(*user)).get_json())

    assert "/admin/audit" in layout(EDITOR) and "/admin/audit" not in layout(VIEWER)


def test_atlas_audit_prints_the_events(served, capsys, monkeypatch):
    client, log, _ = served
    client.get("/", headers=basic(*AWA))
    client.get("/", headers=basic(*VIEWER))
    monkeypatch.setenv("ATLAS_AUDIT_LOG", str(log))
    assert cli.main(["audit", "--user", "awa", "--json"]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(e["user"], e["action"]) for e in printed] == [("awa", "sign_in")]
    assert cli.main(["audit", "--since", "2026-12-07"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "2026-12-07T09:30:00+00:00  bob  sign_in  method=basic" in lines[1]
    assert cli.main(["audit", "--since", "2026-12-08"]) == 0
    assert capsys.readouterr().out == ""


def test_a_cli_export_for_a_user_is_one_event(tmp_path, monkeypatch):
    users = make_users_file(tmp_path / "users.json")
    add_user(users, AWA[0], "viewer", AWA[1], scope="region:africa")
    monkeypatch.setenv("ATLAS_USERS_FILE", str(users))
    monkeypatch.setenv("ATLAS_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    out = tmp_path / "x.csv"
    assert cli.main(["export", "--format", "csv", "--out", str(out), "--user", "awa",
                     "--status", "all"]) == 0
    [event] = events(tmp_path / "audit.jsonl")
    assert (event["action"], event["user"], event["format"], event["source"]) == (
        "export", "awa", "csv", "cli")
    assert event["size"] == out.stat().st_size and "status=all" in event["view"]
