"""Access control: HTTP Basic against the users file, the proxy header mode, roles, and the
``atlas users`` command."""

from __future__ import annotations

import argparse
import io
import json
import re
import stat

import pytest

from accounts import users
from cli.commands import users as users_command
from dashboard import auth
from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from tests.unit.serving import (
    EDITOR,
    VIEWER,
    basic,
    callback_payload,
    callback_spec,
    make_users_file,
)


@pytest.fixture(scope="module")
def users_file(tmp_path_factory):
    return make_users_file(tmp_path_factory.mktemp("auth") / "users.json")


@pytest.fixture(scope="module")
def client(users_file, tmp_path_factory):
    root = tmp_path_factory.mktemp("root")
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users_file),
                                   data_root=str(root)))
    return app.server.test_client()


@pytest.fixture(scope="module")
def routes(client):
    """One GET URL of each kind of route, and a real callback request (found as the editor)."""
    editor = basic(*EDITOR)
    page = client.get("/", headers=editor).data.decode()
    suite = re.search(r'src="(/_dash-component-suites/[^"]+)"', page).group(1)
    asset = re.search(r'href="(/assets/[^"]+)"', page).group(1)
    spec = callback_spec(client, "kpi-posts.children", editor)
    payload = callback_payload(spec, {"filter-status.value": ["active"], "lang.data": "fr"},
                               "filter-status.value")
    return {
        "get": ["/", "/_dash-layout", "/_dash-dependencies", suite, asset,
                "/atlas-data/countries.topojson", "/_favicon.ico", "/some/page"],
        "callback": payload,
    }


def test_every_route_but_healthz_needs_credentials(client, routes):
    """Page, layout, component suites, assets, geometry and callbacks: 401 with a challenge."""
    for url in routes["get"]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.headers["WWW-Authenticate"].startswith("Basic ")
    response = client.post("/_dash-update-component", json=routes["callback"])
    assert response.status_code == 401
    assert client.get("/healthz").status_code == 200


def test_refusals_speak_the_page_language(client):
    """French by default, English on an English page; the status code is what scripts use."""
    assert client.get("/").data.decode() == "Authentification requise.\n"
    assert client.get("/?mode=programmes&lang=en").data.decode() == "Authentication required.\n"
    response = client.post("/admin/reload?lang=en", headers=basic(*VIEWER))
    assert response.status_code == 403 and response.data.decode() == "Only editors may do this.\n"
    cross_site = basic(*EDITOR) | {"Sec-Fetch-Site": "cross-site"}
    response = client.post("/admin/reload", headers=cross_site)
    assert response.status_code == 403
    assert response.data.decode() == "Les requêtes venant d'un autre site ne sont pas acceptées.\n"


def test_good_credentials_open_every_route(client, routes):
    """A viewer gets the page, the assets, the geometry and the callbacks."""
    viewer = basic(*VIEWER)
    for url in routes["get"]:
        assert client.get(url, headers=viewer).status_code == 200, url
    response = client.post("/_dash-update-component", json=routes["callback"], headers=viewer)
    assert response.status_code == 200
    assert "kpi-posts" in response.get_json()["response"]


def test_wrong_password_or_unknown_user_is_refused(client):
    """A wrong password, an unknown name or a malformed header: 401."""
    assert client.get("/", headers=basic(EDITOR[0], "not-the-password")).status_code == 401
    assert client.get("/", headers=basic("mallory", EDITOR[1])).status_code == 401
    assert client.get("/", headers={"Authorization": "Basic !!!"}).status_code == 401
    assert client.get("/", headers={"Authorization": "Bearer abc"}).status_code == 401


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/admin/versions"), ("post", "/admin/reload"), ("post", "/admin/upload"),
    ("post", "/admin/restore"),
])
def test_viewers_may_not_update_the_data(client, method, url):
    """Editor-only routes answer 403 to a viewer."""
    response = getattr(client, method)(url, headers=basic(*VIEWER))
    assert response.status_code == 403


def test_editors_see_the_versions_and_the_upload_control(client):
    """The editor gets /admin/versions and the upload control; the viewer has no control."""
    response = client.get("/admin/versions", headers=basic(*EDITOR))
    assert response.status_code == 200
    assert response.get_json()["versions"][-1]["version"] == "seed"
    for _ in range(2):  # the second time, each from the layouts kept
        assert b"data-upload" in client.get("/_dash-layout", headers=basic(*EDITOR)).data
        assert b"data-upload" not in client.get("/_dash-layout", headers=basic(*VIEWER)).data


def test_healthz_reveals_only_date_and_version(client):
    """No path, no warning text, no user, and with access control on no counts (it is open
    to anyone not signed in): loaded, date, version."""
    body = client.get("/healthz").get_json()
    assert set(body) == {"status", "data_loaded", "data_version", "data_date"}
    assert body["data_loaded"] is True
    assert body["data_version"] == "seed"


def test_authenticated_responses_are_not_shared_caches(client):
    """Behind a login, the geometry's long cache is private and pages are not stored."""
    geometry = client.get("/atlas-data/countries.topojson", headers=basic(*VIEWER))
    assert "private" in geometry.headers["Cache-Control"]
    assert "public" not in geometry.headers["Cache-Control"]
    assert client.get("/", headers=basic(*VIEWER)).headers["Cache-Control"] == "no-store"
    script = client.get("/assets/atlas.js?m=1", headers=basic(*VIEWER))
    assert script.headers["Cache-Control"] == "private, max-age=31536000, immutable"


def test_repeated_failures_are_throttled(users_file, tmp_path):
    """After ten wrong passwords for one name from one address, even the right one waits."""
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users_file)))
    client = app.server.test_client()
    for _ in range(auth.MAX_FAILURES - 1):
        assert client.get("/", headers=basic(VIEWER[0], "wrong-password")).status_code == 401
    response = client.get("/", headers=basic(VIEWER[0], "wrong-password"))
    assert response.status_code == 429 and response.headers["Retry-After"] == "60"
    assert client.get("/", headers=basic(*VIEWER)).status_code == 429
    assert client.get("/", headers=basic(*EDITOR)).status_code == 200  # other names unaffected


def test_users_file_changes_apply_without_restart(tmp_path, monkeypatch):
    """A removed user is refused, a new one admitted, on the next check of the file."""
    monkeypatch.setattr(auth, "CHECK_INTERVAL_S", 0.0)
    path = make_users_file(tmp_path / "users.json")
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(path)))
    client = app.server.test_client()
    assert client.get("/_dash-layout", headers=basic(*VIEWER)).status_code == 200
    users.remove_user(path, VIEWER[0])
    users.add_user(path, "carol", "viewer", "carol-password")
    assert client.get("/_dash-layout", headers=basic(*VIEWER)).status_code == 401
    assert client.get("/_dash-layout", headers=basic("carol", "carol-password")).status_code == 200


def test_a_broken_users_file_refuses_everyone(tmp_path):
    """Unreadable users file: every route but /healthz answers 503 (fail closed)."""
    path = tmp_path / "users.json"
    path.write_text("{not json")
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(path)))
    client = app.server.test_client()
    assert client.get("/", headers=basic(*EDITOR)).status_code == 503
    assert client.get("/healthz").status_code == 200


def test_proxy_header_mode(tmp_path):
    """The proxy's header names the user; the role comes from the users file, else viewer;
    Basic credentials are ignored."""
    path = tmp_path / "users.json"
    users.add_user(path, "jdupont", "editor", None)
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(path),
                                   auth_header="X-Remote-User", trusted_proxies="127.0.0.1",
                                   data_root=str(tmp_path / "root")))
    client = app.server.test_client()
    response = client.get("/")
    assert response.status_code == 401 and "WWW-Authenticate" not in response.headers
    assert client.get("/", headers=basic(*EDITOR)).status_code == 401
    assert client.get("/", headers={"X-Remote-User": "someone"}).status_code == 200
    assert client.get("/admin/versions", headers={"X-Remote-User": "someone"}).status_code == 403
    assert client.get("/admin/versions", headers={"X-Remote-User": "jdupont"}).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_no_access_control_for_the_local_demo():
    """Without users file or header, the page is open and nobody may update the data."""
    client = create_app(Settings.load(data_dir=DEMO_DATA_DIR)).server.test_client()
    assert client.get("/").status_code == 200
    assert client.post("/admin/reload").status_code == 403


def test_users_file_holds_salted_hashes_only_and_is_private(tmp_path):
    """Mode 0600, scrypt hashes with a salt, no password in clear; add, update, remove, list."""
    path = tmp_path / "conf" / "users.json"
    assert users.add_user(path, "alice", "editor", "first-password") is True
    assert users.add_user(path, "dave", "viewer", "first-password") is True
    assert users.add_user(path, "alice", "viewer", "second-password") is False
    text = path.read_text()
    assert "first-password" not in text and "second-password" not in text
    content = json.loads(text)["users"]
    assert content["alice"]["role"] == "viewer"
    assert content["alice"]["password_hash"].startswith("scrypt:")
    assert content["alice"]["password_hash"] != content["dave"]["password_hash"]  # salted
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert users.list_users(path) == [("alice", "viewer", True, None),
                                      ("dave", "viewer", True, None)]
    assert users.remove_user(path, "dave") is True
    assert users.remove_user(path, "dave") is False
    assert [p.name for p in path.parent.iterdir()] == ["users.json"]  # no temp file left


@pytest.mark.parametrize(("name", "password"), [
    ("bad:name", "long-enough"), ("", "long-enough"), ("x" * 65, "long-enough"),
    ("ok", "short"),
])
def test_bad_names_and_short_passwords_are_refused(tmp_path, name, password):
    with pytest.raises(users.UserRejected):
        users.add_user(tmp_path / "users.json", name, "viewer", password)


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="atlas")
    users_command.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_command_line(tmp_path, monkeypatch, capsys):
    """``users add`` with --password-stdin or getpass (asked twice), ``list``, ``remove``."""
    path = tmp_path / "users.json"
    monkeypatch.setattr("sys.stdin", io.StringIO("scripted-password\n"))
    assert _run(["users", "add", "robot", "--role", "editor", "--password-stdin",
                 "--file", str(path)]) == 0
    answers = iter(["typed-password", "typed-password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setenv("ATLAS_USERS_FILE", str(path))
    assert _run(["users", "add", "erin"]) == 0
    answers = iter(["typed-password", "other-password"])
    assert _run(["users", "add", "frank"]) == 2
    assert "differ" in capsys.readouterr().err
    assert _run(["users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "robot\teditor" in listing and "erin\tviewer" in listing and "frank" not in listing
    assert _run(["users", "remove", "erin"]) == 0
    assert _run(["users", "remove", "erin"]) == 2
    records = users.read_users(path)
    assert set(records) == {"robot"}
    assert auth.check_password_hash(records["robot"].password_hash, "scripted-password")
