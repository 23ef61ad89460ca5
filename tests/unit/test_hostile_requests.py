"""Hostile requests: the single sign-on header only from trusted proxies, client addresses that
cannot be forged, login checks bounded per client (a lockout nobody can cause for another),
writes checked against the page's origin, callback payloads of any type or size answered
cleanly (a Hypothesis fuzz), texts with a maximum length, exports through a bounded pool."""

from __future__ import annotations

import fcntl
import logging
import runpy
import secrets
from pathlib import Path

import flask
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import auth, exportpool, ids
from dashboard.app import create_app
from dashboard.edge import MAX_TEXT_CHARS
from dashboard.settings import DEMO_DATA_DIR, Settings
from exports.page import wrap_text
from geodata import limits
from tests.unit.serving import (
    EDITOR,
    VIEWER,
    basic,
    callback_payload,
    callback_spec,
    make_users_file,
    run_job,
)
from viewmodel.search import search_matches

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.2"


@pytest.fixture(scope="module")
def users_file(tmp_path_factory):
    return make_users_file(tmp_path_factory.mktemp("users") / "users.json")


def _via_proxy(client_ip: str, forwarded_extra: str = "") -> dict:
    chain = f"{forwarded_extra}, {client_ip}" if forwarded_extra else client_ip
    return {"X-Forwarded-For": chain}


# --- trusted proxies ------------------------------------------------------------------------

def test_the_sign_on_header_needs_trusted_proxies(tmp_path):
    with pytest.raises(ValueError, match="ATLAS_TRUSTED_PROXIES"):
        create_app(Settings.load(data_dir=DEMO_DATA_DIR, auth_header="X-Remote-User"))
    with pytest.raises(ValueError, match="not an address"):
        create_app(Settings.load(data_dir=DEMO_DATA_DIR, auth_header="X-Remote-User",
                                 trusted_proxies="proxy.example"))


def test_the_sign_on_header_is_believed_from_trusted_proxies_only(tmp_path):
    path = tmp_path / "users.json"
    from accounts.users import add_user

    add_user(path, "jdupont", "editor", None)
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(path),
                                   auth_header="X-Remote-User", trusted_proxies="10.0.0.0/24"))
    client = app.server.test_client()
    direct = client.get("/admin/versions", headers={"X-Remote-User": "jdupont"},
                        environ_base={"REMOTE_ADDR": "192.0.2.50"})
    assert direct.status_code == 403
    assert "sign-on portal" in client.get("/?lang=en", headers={"X-Remote-User": "jdupont"},
                                          environ_base={"REMOTE_ADDR": "192.0.2.50"}).text
    proxied = client.get("/", headers={"X-Remote-User": "jdupont"},
                         environ_base={"REMOTE_ADDR": PROXY})
    assert proxied.status_code == 200
    with client:
        client.get("/", headers={"X-Remote-User": "jdupont", **_via_proxy("198.51.100.7")},
                   environ_base={"REMOTE_ADDR": PROXY})
        assert flask.request.environ["REMOTE_USER"] == "jdupont"  # the access log's user
        assert flask.request.environ["atlas.client"] == "198.51.100.7"


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    ("192.0.2.9", "203.0.113.1", "192.0.2.9"),  # not a proxy: its header is ignored
    (PROXY, "203.0.113.1", "203.0.113.1"),
    (PROXY, "6.6.6.6, 203.0.113.1", "203.0.113.1"),  # the client's own entry comes first
    (PROXY, "203.0.113.1, 10.0.0.3", "203.0.113.1"),  # two proxies
    (PROXY, "not-an-address", PROXY),
    (PROXY, "", PROXY),
])
def test_client_addresses_cannot_be_forged(remote, forwarded, expected):
    networks = auth.trusted_networks("10.0.0.0/24, ::1")
    assert auth.client_address_of(remote, forwarded, networks) == expected


def test_gunicorn_binds_the_loopback_by_default_and_the_procfile_its_own(monkeypatch):
    monkeypatch.delenv("ATLAS_BIND", raising=False)
    monkeypatch.setenv("PORT", "8123")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8123"
    assert "{remote_user}e" in config["access_log_format"]
    assert "{atlas.client}e" in config["access_log_format"]
    monkeypatch.setenv("ATLAS_BIND", "10.0.0.7:9000")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == "10.0.0.7:9000"
    assert "--bind 0.0.0.0:$PORT" in (ROOT / "Procfile").read_text()


def test_gunicorn_workers_share_one_malloc_arena_unless_told(monkeypatch):
    """Each worker limits glibc's malloc arenas after the fork (its threads' freed memory is
    then reused: the 1,000x worker's peak); ATLAS_MALLOC_ARENAS=0 leaves glibc's default."""
    calls = []

    class Libc:
        def mallopt(self, parameter, value):
            calls.append((parameter, value))
            return 1

    class Worker:
        log = None

    monkeypatch.delenv("ATLAS_MALLOC_ARENAS", raising=False)
    monkeypatch.delenv("ATLAS_GIL_SWITCH_MS", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    monkeypatch.setattr(config["ctypes"], "CDLL", lambda name: Libc())
    switches = []
    monkeypatch.setattr(config["sys"], "setswitchinterval", switches.append)
    config["post_fork"](None, Worker())
    assert calls == [(-8, 1)]
    assert switches == [0.001]  # a worker's threads take turns every millisecond, not 5
    monkeypatch.setenv("ATLAS_MALLOC_ARENAS", "0")
    monkeypatch.setenv("ATLAS_GIL_SWITCH_MS", "0")
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_fork"](None, Worker())
    assert calls == [(-8, 1)] and switches == [0.001]


# --- login limits ---------------------------------------------------------------------------

def test_nobody_can_lock_out_someone_else(users_file):
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users_file),
                                   trusted_proxies=PROXY))
    client = app.server.test_client()
    attacker = dict(headers={**basic(VIEWER[0], "wrong-password"),
                             **_via_proxy("203.0.113.66")}, environ_base={"REMOTE_ADDR": PROXY})
    statuses = [client.get("/", **attacker).status_code for _ in range(auth.MAX_FAILURES + 1)]
    assert statuses[-1] == 429 and statuses[0] == 401
    victim = client.get("/", headers={**basic(*VIEWER), **_via_proxy("198.51.100.20")},
                        environ_base={"REMOTE_ADDR": PROXY})
    assert victim.status_code == 200
    # a forged X-Forwarded-For sent straight to the port: still counted as itself (locked)
    forged = client.get("/", headers={**basic(VIEWER[0], "another-wrong-one"),
                                      "X-Forwarded-For": "198.51.100.20"},
                        environ_base={"REMOTE_ADDR": "203.0.113.66"})
    assert forged.status_code == 429


def test_random_names_are_rate_limited_per_client(users_file, monkeypatch, caplog):
    monkeypatch.setattr(auth, "AUTH_ATTEMPTS", "5/minute")
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users_file)))
    client = app.server.test_client()
    flood = [client.get("/", headers=basic(f"user{secrets.token_hex(4)}", "x" * 12),
                        environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code
             for _ in range(7)]
    assert flood[:5] == [401] * 5 and flood[5:] == [429, 429]
    other = client.get("/", headers=basic(*EDITOR), environ_base={"REMOTE_ADDR": "203.0.113.6"})
    assert other.status_code == 200
    huge = client.get("/", headers=basic("n" * 5000, "p" * 5000),
                      environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert huge.status_code == 401  # refused before any hashing


# --- origin of writes -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def editor_client(users_file, tmp_path_factory):
    root = tmp_path_factory.mktemp("root")
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users_file),
                                   data_root=str(root)))
    return app.server.test_client()


@pytest.mark.parametrize(("headers", "content_type", "status"), [
    ({"Origin": "https://evil.example"}, "application/json", 403),
    ({"Origin": "null"}, "application/x-www-form-urlencoded", 403),
    ({"Referer": "https://evil.example/page"}, "application/x-www-form-urlencoded", 403),
    ({}, "application/x-www-form-urlencoded", 403),  # a form with no browser signal at all
    ({}, "text/plain", 403),
    ({"Origin": "http://localhost"}, "application/x-www-form-urlencoded", 400),
    ({"Referer": "http://localhost/"}, "application/x-www-form-urlencoded", 400),
    ({"X-Atlas-Client": "script"}, "application/x-www-form-urlencoded", 400),
    ({"Sec-Fetch-Site": "same-origin"}, "application/x-www-form-urlencoded", 400),
])
def test_writes_come_from_the_atlas_pages(editor_client, headers, content_type, status):
    """A form without a version name is malformed (400) once it is let through."""
    response = editor_client.post("/admin/restore", data="nothing=1",
                                  headers={**basic(*EDITOR), **headers},
                                  content_type=content_type)
    assert response.status_code == status


def test_editors_messages_show_no_server_path(editor_client):
    from dashboard.reload import without_paths

    assert without_paths("file not found in /srv/atlas/root/staging/ab12 (found: x.csv)") == \
        "file not found in ab12 (found: x.csv)"
    listing = editor_client.get("/admin/versions", headers=basic(*EDITOR)).get_json()
    assert all("source" not in row for row in listing["versions"])


# --- callback payloads ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def viewer_client(users_file):
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users_file)))
    return app.server.test_client()


@pytest.fixture(scope="module")
def specs(viewer_client):
    return viewer_client.get("/_dash-dependencies", headers=basic(*VIEWER)).get_json()


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=50) | st.sampled_from(["", "fr", "en", "?mode=programmes", "FRA"]),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(deadline=None, max_examples=120,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_callback_payloads_never_give_a_500(viewer_client, specs, data, caplog):
    """Any value of any type in any input or state of any callback: 200, 204 or 400, never
    a 500 (and so never a traceback per request)."""
    spec = data.draw(st.sampled_from([s for s in specs if not s.get("clientside_function")]))
    deps = spec["inputs"] + spec["state"]
    chosen = {f"{dep['id']}.{dep['property']}": data.draw(values) for dep in deps
              if isinstance(dep["id"], str)}
    changed = f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"
    payload = callback_payload(spec, chosen, changed)
    with caplog.at_level(logging.ERROR):
        response = viewer_client.post("/_dash-update-component", json=payload,
                                      headers=basic(*VIEWER))
    assert response.status_code in (200, 204, 400), (spec["output"], chosen)
    assert b"Traceback" not in response.data


@pytest.mark.parametrize("payload", [
    [], "text", {"inputs": "x"}, {"inputs": [["nested", 1]]},
    {"inputs": [{"id": "url", "property": "search", "value": "x" * (MAX_TEXT_CHARS + 1)}]},
    {"inputs": [{"id": "url", "property": "search", "value": [[[[[[[[[[1]]]]]]]]]]}]},
    {"inputs": [{"id": "no-such-id", "property": "value", "value": 1}]},
])
def test_malformed_callback_requests_are_400(viewer_client, payload):
    response = viewer_client.post("/_dash-update-component", json=payload,
                                  headers=basic(*VIEWER))
    assert response.status_code == 400


def test_a_title_over_200_characters_is_refused_inline(viewer_client):
    spec = callback_spec(viewer_client, "export-status.children", basic(*VIEWER))
    values = {f"{ids.EXPORT_FORMAT}.value": "png", f"{ids.EXPORT_TITLE}.value": "t" * 201,
              f"{ids.LANG}.data": "en"}
    answer, _ = run_job(viewer_client, callback_payload(
        spec, values, f"{ids.EXPORT_CONFIRM}.n_clicks"), basic(*VIEWER))
    status = answer[ids.EXPORT_STATUS]["children"]
    assert "longer than 200 characters" in status


def test_text_layout_and_search_cost_bounded_work():
    lines = wrap_text("x" * 100_000 + " end", 3.0, 12, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    words = " ".join(f"w{i}" for i in range(200_000))
    choices = [{"label": "Mali", "value": "MLI", "search": "mali w1 w2"}]
    assert search_matches(choices, "mali " + words) == []  # only the first words count
    assert search_matches(choices, "mali w1") == choices
    assert limits.MAX_SEARCH_WORDS >= 2


# --- the export pool ------------------------------------------------------------------------

def test_a_busy_server_says_so(users_file, tmp_path):
    """Every slot taken and no place left in line: the export is told at once that the server
    is busy, and the map still answers; once the slot frees, the export is made."""
    root = tmp_path / "root"
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users_file),
                                   data_root=str(root), export_workers=1, export_queue=0))
    client = app.server.test_client()
    spec = callback_spec(client, "export-status.children", basic(*VIEWER))
    values = {f"{ids.EXPORT_FORMAT}.value": "png", f"{ids.EXPORT_SIZE}.value": "16:9",
              f"{ids.LANG}.data": "en"}
    body = callback_payload(spec, values, f"{ids.EXPORT_CONFIRM}.n_clicks")
    (root / ".exports").mkdir(parents=True, exist_ok=True)
    with open(root / ".exports" / "slot-0", "a+") as held:  # another worker's export
        fcntl.flock(held, fcntl.LOCK_EX)
        busy, _ = run_job(client, body, basic(*VIEWER), timeout=60)
        assert busy[ids.EXPORT_STATUS]["children"] == (
            "The server is busy: 1 export is running and the queue is full. "
            "Try again in a moment.")
        map_request = client.get("/_dash-layout", headers=basic(*VIEWER))
        assert map_request.status_code == 200  # the map does not wait for a slot
        fcntl.flock(held, fcntl.LOCK_UN)
    done, _ = run_job(client, body, basic(*VIEWER))
    assert ids.EXPORT_DOWNLOAD in done


def test_the_pool_never_runs_more_than_its_slots(tmp_path):
    pool = exportpool.ExportPool(2, tmp_path, wait_s=0.0)
    with pool.slot(), pool.slot():
        with pytest.raises(exportpool.Busy), pool.slot():
            pass
    with pool.slot():
        pass


def test_callbacks_from_another_origin_are_refused(viewer_client):
    spec = callback_spec(viewer_client, "export-status.children", basic(*VIEWER))
    body = callback_payload(spec, {}, f"{ids.EXPORT_CONFIRM}.n_clicks")
    response = viewer_client.post("/_dash-update-component", json=body,
                                  headers={**basic(*VIEWER), "Origin": "https://evil.example"})
    assert response.status_code == 403


@pytest.mark.parametrize(("contents", "filenames"), [
    (5, "programmes.csv"),
    ([{"a": 1}], ["programmes.csv"]),
    (["data:text/csv;base64,YQ=="], ["a.csv", "b.csv"]),
    (["data:text/csv;base64,YQ=="] * 11, ["programmes.csv"] * 11),
    ("data:text/csv;base64,!!!", "programmes.csv"),
])
def test_type_confused_uploads_get_an_inline_message(editor_client, contents, filenames):
    spec = callback_spec(editor_client, "data-update-status.children", basic(*EDITOR))
    values = {f"{ids.DATA_UPLOAD}.contents": contents, f"{ids.DATA_UPLOAD}.filename": filenames,
              f"{ids.LANG}.data": "en"}
    response = editor_client.post("/_dash-update-component", headers=basic(*EDITOR), json=(
        callback_payload(spec, values, f"{ids.DATA_UPLOAD}.contents")))
    assert response.status_code == 200
    status = response.get_json()["response"][ids.DATA_UPDATE_STATUS]["children"]
    assert str(status).startswith("Files refused")


def test_logins_still_work_and_stay_bounded_when_redis_is_down(users_file, caplog):
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users_file),
                                   redis_url="redis://127.0.0.1:1/0"))
    client = app.server.test_client()
    with caplog.at_level(logging.ERROR):
        assert client.get("/", headers=basic(*VIEWER)).status_code == 200
    assert "rate-limit storage unavailable" in caplog.text
    statuses = [client.get("/", headers=basic(EDITOR[0], "wrong-password")).status_code
                for _ in range(auth.MAX_FAILURES + 1)]
    assert statuses[-1] == 429


@pytest.mark.parametrize(("values", "reason"), [
    ({f"{ids.LANG}.data": ["fr"]}, "lang.data: expected a text"),
    ({f"{ids.EXPORT_FORMAT}.value": {"x": 1}}, "export-format.value: expected a text"),
    ({f"{ids.EXPORT_INCLUDE}.value": [1, 2]}, "export-include.value: expected text items"),
])
def test_values_of_the_wrong_kind_are_refused_at_the_edge(viewer_client, values, reason,
                                                          caplog):
    spec = callback_spec(viewer_client, "export-status.children", basic(*VIEWER))
    body = callback_payload(spec, values, f"{ids.EXPORT_CONFIRM}.n_clicks")
    with caplog.at_level(logging.WARNING):
        response = viewer_client.post("/_dash-update-component", json=body,
                                      headers=basic(*VIEWER))
    assert response.status_code == 400 and reason in caplog.text
    assert "Traceback" not in caplog.text


def test_pattern_ids_pass_the_edge():
    from dashboard.edge import check_kinds, check_update_request

    body = {"inputs": [[{"id": {"type": "panel-sort-by", "column": "title"},
                         "property": "n_clicks", "value": 1}]], "state": []}
    check_update_request(body, frozenset({("lang", "data")}))
    check_kinds(body, {("lang", "data"): ("text", "")})
