"""Data updates: validated in full, kept as dated versions, switched in one step, followed by
every worker; a failed update changes nothing; uploads are checked for size, type and name."""

from __future__ import annotations

import base64
import io
import json
import logging
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from dataversions import sync, uploads, versions
from tests.unit.serving import (
    EDITOR,
    VIEWER,
    basic,
    callback_payload,
    callback_spec,
    copy_demo,
    folder_digest,
    make_users_file,
)

DEMO_DIGEST = folder_digest(DEMO_DATA_DIR)
# The atlas's "today" in these tests: the demo's own date, so that tables uploaded without a
# meta table (dated by the publish day) agree with the demo's statuses on any calendar day.
PUBLISH_DAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _check_every_request(monkeypatch):
    """Workers read the version marker at every request in these tests (not once a second)."""
    monkeypatch.setattr(sync, "CHECK_INTERVAL_S", 0.0)


@pytest.fixture
def settings(tmp_path):
    users = make_users_file(tmp_path / "users.json")
    return Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users),
                         data_root=str(tmp_path / "root"), today=PUBLISH_DAY)


@pytest.fixture
def client(settings):
    return create_app(settings).server.test_client()


def _programmes_csv(drop: int = 0, **changes) -> bytes:
    """The demo programmes without their last ``drop`` rows, with cells changed by
    ``changes`` = {(row position, column): value}."""
    frame = pd.read_csv(DEMO_DATA_DIR / "programmes.csv", dtype=str, keep_default_na=False)
    frame = frame.iloc[: len(frame) - drop].copy()
    for (position, column), value in changes.get("cells", {}).items():
        frame.iloc[position, frame.columns.get_loc(column)] = value
    return frame.to_csv(index=False).encode("utf-8")


def _upload(client, files: dict[str, bytes], who=EDITOR):
    data = {"files": [(io.BytesIO(content), name) for name, content in files.items()]}
    return client.post("/admin/upload", data=data,
                       headers={**basic(*who), "X-Atlas-Client": "test"},
                       content_type="multipart/form-data")


def _health(client) -> dict:
    """What /healthz tells a signed-in user (the counts need a sign-in)."""
    return client.get("/healthz", headers=basic(*EDITOR)).get_json()


def test_valid_upload_becomes_a_new_current_version(client, settings):
    """A valid programmes.csv: new dated version (other tables from the current data), marker
    switched, this worker serves it, the demo folder untouched, the switch recorded."""
    before = _health(client)
    response = _upload(client, {"programmes.csv": _programmes_csv(drop=10)})
    assert response.status_code == 200, response.data
    body = response.get_json()
    version = body["version"]
    assert versions.VERSION_NAME.match(version)
    assert body["counts"]["programmes"] == before["counts"]["programmes"] - 10
    root = Path(settings.data_root)
    assert (root / "current").read_text().strip() == version
    published = root / "versions" / version
    assert sorted(p.name for p in published.iterdir()) == [
        "coverage.csv", "posts.csv", "programmes.csv", "themes.csv", "version.json"]
    meta = json.loads((published / "version.json").read_text())
    assert meta["user"] == EDITOR[0] and meta["previous"] == "seed" and not meta["is_demo"]
    health = _health(client)
    assert health["data_version"] == version
    assert health["counts"]["programmes"] == before["counts"]["programmes"] - 10
    history = (root / "history.jsonl").read_text().splitlines()
    assert json.loads(history[-1])["to"] == version
    assert folder_digest(DEMO_DATA_DIR) == DEMO_DIGEST
    assert list((root / "staging").iterdir()) == []


def test_invalid_upload_is_reported_and_changes_nothing(client, settings):
    """Errors located by file, row and column; the served version and the folders unchanged."""
    bad = _programmes_csv(cells={(2, "status"): "finished", (4, "countries"): "XXX"})
    response = _upload(client, {"programmes.csv": bad})
    assert response.status_code == 422
    body = response.get_json()
    assert body["ok"] is False and body["version"] == "seed"
    located = {(p["file"], p["row"], p["column"]) for p in body["problems"]
               if p["severity"] == "error"}
    assert ("programmes.csv", 4, "status") in located  # header = row 1
    assert any(row == 6 and column == "countries" for _, row, column in located)
    assert _health(client)["data_version"] == "seed"
    root = Path(settings.data_root)
    assert list((root / "versions").iterdir()) == []
    assert list((root / "staging").iterdir()) == []
    assert not (root / "current").exists()


def test_upload_from_the_dashboard(client):
    """The header's upload control: success names the new version; a bad file shows the
    problems as a table; the served data changes only on success."""
    editor = basic(*EDITOR)
    spec = callback_spec(client, ids.DATA_UPDATE_STATUS, editor)

    def send(name: str, content: bytes, lang: str = "en"):
        url = "data:text/csv;base64," + base64.b64encode(content).decode()
        payload = callback_payload(spec, {f"{ids.DATA_UPLOAD}.contents": [url],
                                          f"{ids.DATA_UPLOAD}.filename": [name],
                                          "lang.data": lang, "url.href": "http://x/?mode=a"},
                                   f"{ids.DATA_UPLOAD}.contents")
        response = client.post("/_dash-update-component", json=payload, headers=editor)
        assert response.status_code == 200
        return json.dumps(response.get_json()["response"], ensure_ascii=False)

    refused = send("programmes.csv", _programmes_csv(cells={(0, "end_date"): "1900-01-01"}))
    assert "Invalid data" in refused and "end_date" in refused and '"Td"' in refused
    assert "end_date is before start_date" in refused
    refused = send("programmes.csv", _programmes_csv(cells={(0, "end_date"): "1900-01-01"}), "fr")
    assert "Données non valides" in refused and "end_date est antérieure à start_date" in refused
    assert _health(client)["data_version"] == "seed"
    accepted = send("programmes.csv", _programmes_csv(drop=1))
    assert "Data updated: version" in accepted and "http://x/?mode=a" in accepted
    assert re.search(r"Data updated: version \S+ \(76 posts, [\d,]+ programmes\)\.", accepted)
    assert "warning" not in accepted
    frame = pd.read_csv(DEMO_DATA_DIR / "programmes.csv", dtype=str, keep_default_na=False)
    completed = int((frame["status"] == "completed").to_numpy().argmax())
    accepted = send("programmes.csv",
                    _programmes_csv(cells={(completed, "end_date"): "2099-12-31"}), "fr")
    assert "Données mises à jour : version" in accepted
    assert "1 avertissement : les données sont servies, mais à vérifier" in accepted
    assert ("le statut est 'completed' mais end_date est postérieure ou égale à la date des "
            "données (2026-11-23)") in accepted
    assert "le jour de la publication a été retenu" in accepted
    assert _health(client)["data_version"] != "seed"
    assert "only .xlsx and .csv" in send("network.exe", b"MZ\x90\x00")
    assert ("Fichiers refusés : 'network.exe' : seuls les fichiers .xlsx et .csv sont acceptés"
            in send("network.exe", b"MZ\x90\x00", "fr"))

    viewer = basic(*VIEWER)
    payload = callback_payload(spec, {f"{ids.DATA_UPLOAD}.contents": ["data:;base64,QQ=="],
                                      f"{ids.DATA_UPLOAD}.filename": ["posts.csv"],
                                      "lang.data": "en"}, f"{ids.DATA_UPLOAD}.contents")
    response = client.post("/_dash-update-component", json=payload, headers=viewer)
    assert "Only editors" in json.dumps(response.get_json())


def test_workbook_upload(client, settings, tmp_path):
    """One .xlsx workbook with the four sheets is published as network.xlsx."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name in ("posts", "coverage", "programmes", "themes"):
        frame = pd.read_csv(DEMO_DATA_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
        sheet = workbook.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _upload(client, {"Réseau 2026.XLSX": buffer.getvalue()})
    assert response.status_code == 200, response.data
    folder = Path(settings.data_root) / "versions" / response.get_json()["version"]
    assert sorted(p.name for p in folder.iterdir()) == ["network.xlsx", "version.json"]


@pytest.mark.parametrize(("files", "message"), [
    ({"notes.txt": b"hello"}, "only .xlsx and .csv"),
    ({"evil.csv": b"a,b\n"}, "named after its table"),
    ({"network.xlsx": b"post_id,city\n"}, "not an Excel workbook"),
    ({"network.xlsx": b"PK\x03\x04garbage"}, "damaged"),
    ({"posts.csv": b"\x00\x01\x02binary"}, "not a text file"),
    ({"posts.csv": b"PK\x03\x04..."}, "upload it as .xlsx"),
    ({"posts.csv": b"a\n", "POSTS.CSV": b"b\n"}, "twice"),
])
def test_uploads_are_checked_before_anything_is_written(client, settings, files, message):
    """Type (extension and magic bytes), names and duplicates: 400, nothing written."""
    response = _upload(client, files)
    assert response.status_code == 400
    assert message in response.get_json()["error"]
    assert list((Path(settings.data_root) / "versions").glob("*")) == []


def test_upload_names_never_reach_the_filesystem(client, settings, tmp_path):
    """A name with a path only selects the table; the file lands under its fixed name."""
    response = _upload(client, {"../../../programmes.csv": _programmes_csv(drop=2)})
    assert response.status_code == 200
    assert not (tmp_path / "programmes.csv").exists()
    assert not (tmp_path.parent / "programmes.csv").exists()
    version = response.get_json()["version"]
    assert (Path(settings.data_root) / "versions" / version / "programmes.csv").exists()
    assert uploads.check_upload([("C:\\Users\\x\\..\\posts.csv", b"a\n")], 100) == {
        "posts.csv": b"a\n"}


def test_upload_size_limit(tmp_path):
    """Past ATLAS_MAX_UPLOAD_MB the request is refused (413) or the files (400)."""
    settings = Settings.load(data_dir=DEMO_DATA_DIR, max_upload_mb=1,
                             users_file=str(make_users_file(tmp_path / "users.json")),
                             data_root=str(tmp_path / "root"))
    client = create_app(settings).server.test_client()
    assert _upload(client, {"posts.csv": b"x" * 3_000_000}).status_code == 413
    with pytest.raises(uploads.UploadRejected, match="more than 1 MB"):
        uploads.check_upload([("posts.csv", b"x" * 600_000), ("themes.csv", b"y" * 600_000)],
                            1_000_000)


def test_other_workers_follow_the_new_version(settings):
    """Two app instances on one data root (two workers): an update through one is served by
    the other at its next request, built in full."""
    first = create_app(settings).server.test_client()
    second = create_app(settings).server.test_client()
    response = _upload(first, {"programmes.csv": _programmes_csv(drop=25)})
    version = response.get_json()["version"]
    health = _health(second)
    assert health["data_version"] == version
    assert health["counts"] == response.get_json()["counts"]
    restarted = create_app(settings).server.test_client()  # a new worker starts on it too
    assert _health(restarted)["data_version"] == version


def test_restore_a_previous_version(client, settings):
    """Any version, or the seed, can be served again; unknown names are refused."""
    first = _upload(client, {"programmes.csv": _programmes_csv(drop=1)}).get_json()["version"]
    second = _upload(client, {"programmes.csv": _programmes_csv(drop=2)}).get_json()["version"]
    assert first != second
    editor = basic(*EDITOR)
    listing = client.get("/admin/versions", headers=editor).get_json()
    assert [v["version"] for v in listing["versions"]] == [second, first, "seed"]
    assert listing["versions"][0]["current"] is True
    response = client.post("/admin/restore", json={"version": first}, headers=editor)
    assert response.status_code == 200 and _health(client)["data_version"] == first
    response = client.post("/admin/restore", json={"version": "seed"}, headers=editor)
    assert response.status_code == 200 and _health(client)["data_version"] == "seed"
    for bogus in ("../../etc", "20990101T000000Z-abcdef"):
        response = client.post("/admin/restore", json={"version": bogus}, headers=editor)
        assert response.status_code == 422
    for malformed in ({"version": ""}, {"version": 5}, ["x"], "x", {"version": "x" * 500}):
        response = client.post("/admin/restore", json=malformed, headers=editor)
        assert response.status_code == 400
    assert _health(client)["data_version"] == "seed"


def test_reload_publishes_the_data_folder(tmp_path):
    """POST /admin/reload validates ATLAS_DATA_DIR and publishes a copy; the folder itself is
    only read. A broken folder is reported and the served data kept."""
    data_dir = copy_demo(tmp_path / "working")
    (data_dir / "programmes.csv").write_bytes(_programmes_csv(drop=5))
    digest = folder_digest(data_dir)
    settings = Settings.load(data_dir=data_dir, data_root=str(tmp_path / "root"),
                             users_file=str(make_users_file(tmp_path / "users.json")))
    client = create_app(settings).server.test_client()
    (data_dir / "programmes.csv").write_bytes(_programmes_csv(drop=7))
    response = client.post("/admin/reload", headers=basic(*EDITOR))
    assert response.status_code == 200
    assert _health(client)["counts"]["programmes"] == response.get_json()["counts"]["programmes"]
    (data_dir / "themes.csv").write_text("theme_id,label_fr\n")
    response = client.post("/admin/reload", headers=basic(*EDITOR))
    assert response.status_code == 422
    assert any(p["file"] == "themes.csv" for p in response.get_json()["problems"])
    assert folder_digest(data_dir) != digest  # only our own edits changed it


def test_demo_stays_demo_when_republished(tmp_path):
    """Publishing the demo folder keeps the demonstration banner on the copy."""
    settings = Settings.load(data_dir=DEMO_DATA_DIR, data_root=str(tmp_path / "root"),
                             users_file=str(make_users_file(tmp_path / "users.json")))
    client = create_app(settings).server.test_client()
    assert client.post("/admin/reload", headers=basic(*EDITOR)).status_code == 200
    assert b"demo-banner" in client.get("/_dash-layout", headers=basic(*VIEWER)).data
    assert folder_digest(DEMO_DATA_DIR) == DEMO_DIGEST


def test_a_broken_version_on_disk_keeps_the_last_good_data(client, settings, caplog):
    """A marker pointing at a version that does not load: the worker keeps serving and logs;
    a new worker starts on the newest version that loads."""
    good = _upload(client, {"programmes.csv": _programmes_csv(drop=3)}).get_json()["version"]
    root = Path(settings.data_root)
    broken = root / "versions" / "20000101T000000Z-000000"
    broken.mkdir()
    (broken / "posts.csv").write_text("post_id\nX\n")
    (root / "current").write_text(broken.name)
    with caplog.at_level(logging.ERROR):
        assert _health(client)["data_version"] == good
    assert "does not load" in caplog.text
    restarted = create_app(settings).server.test_client()
    assert _health(restarted)["data_version"] == good


def test_updates_need_a_data_root(tmp_path):
    """Without ATLAS_DATA_ROOT: no upload control, /admin/reload answers 409."""
    settings = Settings.load(data_dir=DEMO_DATA_DIR,
                             users_file=str(make_users_file(tmp_path / "users.json")))
    client = create_app(settings).server.test_client()
    assert client.post("/admin/reload", headers=basic(*EDITOR)).status_code == 409
    assert b"data-upload" not in client.get("/_dash-layout", headers=basic(*EDITOR)).data


def test_the_data_root_cannot_be_the_data_folder():
    with pytest.raises(ValueError, match="folder of its own"):
        versions.DataVersions(Settings.load(data_dir=DEMO_DATA_DIR, data_root=str(DEMO_DATA_DIR)))


def test_data_command_line(tmp_path, capsys, monkeypatch):
    """``atlas data publish DIR``, ``list`` and ``restore``; a bad folder exits 1 unchanged."""
    import argparse

    from cli.commands import data as data_command

    def run(*argv: str) -> int:
        parser = argparse.ArgumentParser(prog="atlas")
        data_command.add_parser(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(list(argv))
        return args.func(args)

    root = str(tmp_path / "root")
    working = copy_demo(tmp_path / "working")
    (working / "programmes.csv").write_bytes(_programmes_csv(drop=4))
    assert run("data", "publish", str(working), "--root", root) == 0
    assert "now serving version" in capsys.readouterr().out
    (working / "posts.csv").write_text("post_id,city\nSSI-X,Nowhere\n")
    assert run("data", "publish", str(working), "--root", root) == 1
    assert "posts.csv" in capsys.readouterr().err
    assert run("data", "list", "--root", root) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == 2 and listing[0].startswith("* ") and listing[1].startswith("  seed")
    assert run("data", "restore", "seed", "--root", root) == 0
    assert run("data", "restore", "nope", "--root", root) == 1
    monkeypatch.delenv("ATLAS_DATA_ROOT", raising=False)
    assert run("data", "list") == 2  # no data root configured


def test_workbook_with_an_xml_entity_bomb_is_refused(client):
    """A workbook whose XML declares entities is not parsed (defusedxml): reported, not served."""
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.title = "posts"
    workbook.save(buffer)
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{"&lol;" * 10 if i == 1 else f"&lol{i - 1};" * 10}">'
                      for i in range(1, 9))
            + ']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheets><sheet name="&lol8;" sheetId="1" r:id="rId1" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>')
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            content = bomb.encode() if item.filename == "xl/workbook.xml" else source.read(item)
            target.writestr(item, content)
    response = _upload(client, {"network.xlsx": output.getvalue()})
    assert response.status_code == 422
    assert "cannot be opened" in response.get_json()["problems"][0]["message"]
    assert _health(client)["data_version"] == "seed"


def test_version_names_sort_in_creation_order(monkeypatch):
    """Two updates within one second still list in the order they were made."""
    from datetime import UTC, datetime

    times = iter([datetime(2026, 11, 23, 18, 34, 9, 1, tzinfo=UTC),
                  datetime(2026, 11, 23, 18, 34, 9, 2, tzinfo=UTC)])
    monkeypatch.setattr(versions, "_now", lambda: next(times))
    first, second = versions.new_version_name(), versions.new_version_name()
    assert all(versions.VERSION_NAME.match(name) for name in (first, second))
    assert sorted([second, first]) == [first, second]  # the random suffixes play no part
