"""Hostile files and faults in the data path: an undecodable or oversized file is a located
problem (never a traceback), a version whose files changed is never served and the fallback is
announced (log, /healthz, banner, ``atlas data list``), a table that shrank needs a
confirmation, an unreadable pointer falls back to the history's last switch, and a publish cut
at any step leaves what is served, listed and recorded consistent."""

from __future__ import annotations

import argparse
import errno
import io
import json
import logging
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cli import main
from cli.commands import data as data_command
from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from dataversions import sync, versions
from geodata import limits
from geodata.countries import load_countries
from geodata.loading import load_network
from geodata.network import NetworkInvalid
from tests.unit.serving import EDITOR, VIEWER, basic, copy_demo, make_users_file

PUBLISH_DAY = date(2026, 11, 23)
UNDECODABLE_UTF16 = b"\xff\xfe" + "post_id,city\n".encode("utf-16-le") + b"\x00\xd8\x41"


@pytest.fixture(autouse=True)
def _check_every_request(monkeypatch):
    monkeypatch.setattr(sync, "CHECK_INTERVAL_S", 0.0)


@pytest.fixture
def settings(tmp_path):
    users = make_users_file(tmp_path / "users.json")
    return Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users),
                         data_root=str(tmp_path / "root"), today=PUBLISH_DAY)


@pytest.fixture
def client(settings):
    return create_app(settings).server.test_client()


def _programmes(drop: int = 0) -> bytes:
    frame = pd.read_csv(DEMO_DATA_DIR / "programmes.csv", dtype=str, keep_default_na=False)
    return frame.iloc[: len(frame) - drop].to_csv(index=False).encode("utf-8")


def _upload(client, files: dict[str, bytes], query: str = ""):
    data = {"files": [(io.BytesIO(content), name) for name, content in files.items()]}
    return client.post(f"/admin/upload{query}", data=data,
                       headers={**basic(*EDITOR), "X-Atlas-Client": "test"},
                       content_type="multipart/form-data")


def _health(client) -> dict:
    return client.get("/healthz").get_json()


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="atlas")
    data_command.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def _history(root: Path) -> list[dict]:
    path = root / "history.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


# --- 1. undecodable text --------------------------------------------------------------------

def test_an_undecodable_file_is_a_located_problem(tmp_path, capsys):
    folder = copy_demo(tmp_path / "data")
    (folder / "posts.csv").write_bytes(UNDECODABLE_UTF16)
    with pytest.raises(NetworkInvalid) as invalid:
        load_network(folder)
    problem = invalid.value.problems[0]
    assert problem.file == "posts.csv" and "cannot be decoded" in problem.message
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "posts.csv" in out and "cannot be decoded" in out and "Traceback" not in out


def test_an_undecodable_upload_answers_422_with_the_problem(client, settings):
    response = _upload(client, {"posts.csv": UNDECODABLE_UTF16})
    assert response.status_code == 422
    problems = response.get_json()["problems"]
    assert problems[0]["file"] == "posts.csv" and "cannot be decoded" in problems[0]["message"]
    assert _health(client)["data_version"] == "seed"


def test_an_unforeseen_reader_failure_is_still_a_located_problem(tmp_path, monkeypatch,
                                                                capsys):
    from geodata import loading

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/secret/path exploded")

    monkeypatch.setattr(loading, "validate_tables", broken)
    folder = copy_demo(tmp_path / "data")
    with pytest.raises(NetworkInvalid) as invalid:
        load_network(folder)
    problem = invalid.value.problems[0]
    assert problem.file == "data" and "/srv/secret" not in problem.message
    assert main(["validate", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "cannot be read: RuntimeError" in captured.out
    assert "Traceback" not in captured.out + captured.err


# --- 2. limits after unpacking --------------------------------------------------------------

def test_rows_over_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 5)
    with pytest.raises(NetworkInvalid) as invalid:
        load_network(copy_demo(tmp_path / "data"))
    over = [p for p in invalid.value.problems if p.key == "problem.limit.rows"]
    assert over and "more than 5 rows" in over[0].message and over[0].row == 7


def test_a_cell_over_the_limit_is_located(tmp_path):
    folder = copy_demo(tmp_path / "data")
    frame = pd.read_csv(folder / "programmes.csv", dtype=str, keep_default_na=False)
    frame.iloc[1, frame.columns.get_loc("title_fr")] = "x" * (limits.MAX_CELL_CHARS + 1)
    frame.to_csv(folder / "programmes.csv", index=False)
    with pytest.raises(NetworkInvalid) as invalid:
        load_network(folder)
    long = next(p for p in invalid.value.problems if p.key == "problem.limit.cell")
    assert (long.file, long.row, long.column) == ("programmes.csv", 3, "title_fr")
    assert f"{limits.MAX_CELL_CHARS + 1} characters" in long.message


def test_a_small_workbook_cannot_unpack_into_a_huge_data_set(tmp_path, monkeypatch):
    """One shared string repeated in every cell: a small file, many characters once read."""
    monkeypatch.setattr(limits, "MAX_DATA_BYTES", 200_000)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "posts"
    sheet.append(["post_id", "city"])
    for number in range(3000):
        sheet.append([f"P{number}", "y" * 500])
    path = tmp_path / "network.xlsx"
    workbook.save(path)
    assert path.stat().st_size < 200_000
    with pytest.raises(NetworkInvalid) as invalid:
        load_network(path)
    assert any(p.key == "problem.limit.bytes" and "200 MB" not in p.message
               for p in invalid.value.problems)


def test_csv_bytes_over_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_DATA_BYTES", 10_000)
    with pytest.raises(NetworkInvalid) as invalid:
        load_network(copy_demo(tmp_path / "data"))
    assert any(p.key == "problem.limit.bytes" for p in invalid.value.problems)


# --- 2. checksums, fallback announced -------------------------------------------------------

def test_published_files_carry_checksums_and_rows(client, settings):
    name = _upload(client, {"programmes.csv": _programmes(drop=3)}).get_json()["version"]
    meta = json.loads((Path(settings.data_root) / "versions" / name / "version.json").read_text())
    demo_rows = len(pd.read_csv(DEMO_DATA_DIR / "programmes.csv"))
    assert meta["rows"]["programmes"] == demo_rows - 3
    assert set(meta["checksums"]) == {"posts.csv", "coverage.csv", "programmes.csv",
                                      "themes.csv"}
    assert all(len(record["sha256"]) == 64 for record in meta["checksums"].values())


def test_a_truncated_version_is_not_served_and_the_fallback_is_announced(
        client, settings, capsys, caplog):
    first = _upload(client, {"programmes.csv": _programmes(drop=1)}).get_json()["version"]
    second = _upload(client, {"programmes.csv": _programmes(drop=2)}).get_json()["version"]
    programmes = Path(settings.data_root) / "versions" / second / "programmes.csv"
    programmes.write_bytes(programmes.read_bytes()[:2000])  # cut on disk
    with caplog.at_level(logging.ERROR):
        restarted = create_app(settings).server.test_client()
    assert "does not load" in caplog.text
    health = _health(restarted)
    assert health["status"] == "degraded" and health["data_version"] == first
    assert health["fallback"] == {"reason": "changed", "wanted": second, "served": first}
    layout = restarted.get("/_dash-layout", headers=basic(*VIEWER)).get_json()
    text = json.dumps(layout, ensure_ascii=False)
    assert "fallback-banner" in text and "les fichiers de la dernière version publiée" in text
    # a worker that loaded it before the cut keeps the whole version it checked then
    assert _health(client)["data_version"] == second
    assert _cli("data", "list", "--root", settings.data_root) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("! ") and f"serving version {first}" in lines[0]
    assert lines[1].startswith(f"! {second}") and "not served" in lines[1]
    assert lines[2].startswith(f"* {first}")


def test_the_server_boots_when_only_the_seed_loads(settings, tmp_path):
    root = Path(settings.data_root)
    broken = root / "versions" / "20260101T000000Z-abcdef"
    broken.mkdir(parents=True)
    (broken / "posts.csv").write_bytes(UNDECODABLE_UTF16)
    (root / "current").write_text(broken.name)
    client = create_app(settings).server.test_client()
    health = _health(client)
    assert health["data_version"] == "seed" and health["fallback"]["wanted"] == broken.name


# --- 3. shrinking tables --------------------------------------------------------------------

def test_a_header_only_table_needs_a_confirmation(client, settings):
    header = _programmes().split(b"\n", 1)[0] + b"\n"
    refused = _upload(client, {"programmes.csv": header})
    assert refused.status_code == 422
    body = refused.get_json()
    demo_rows = len(pd.read_csv(DEMO_DATA_DIR / "programmes.csv"))
    assert body["needs_confirmation"] is True
    assert body["shrank"] == [{"table": "programmes", "before": demo_rows, "after": 0}]
    assert f"from {demo_rows} to 0 rows" in body["problems"][0]["message"]
    assert _health(client)["data_version"] == "seed"
    half = _upload(client, {"programmes.csv": _programmes(drop=demo_rows // 2 + 1)})
    assert half.status_code == 422
    confirmed = _upload(client, {"programmes.csv": header}, "?allow_shrink=1")
    assert confirmed.status_code == 200
    assert confirmed.get_json()["shrank"][0]["after"] == 0


def test_publish_allow_shrink_on_the_command_line(tmp_path, capsys):
    root = str(tmp_path / "root")
    working = copy_demo(tmp_path / "working")
    assert _cli("data", "publish", str(working), "--root", root) == 0
    frame = pd.read_csv(working / "programmes.csv", dtype=str, keep_default_na=False)
    frame.iloc[:3].to_csv(working / "programmes.csv", index=False)
    capsys.readouterr()
    assert _cli("data", "publish", str(working), "--root", root) == 1
    err = capsys.readouterr().err
    assert f"from {len(frame)} to 3 rows" in err and "--allow-shrink" in err
    assert _cli("data", "publish", str(working), "--root", root, "--allow-shrink") == 0
    assert f"programmes {len(frame)} → 3" in capsys.readouterr().out


# --- 4. unreadable pointer ------------------------------------------------------------------

@pytest.mark.parametrize("pointer", [b"\xff\xfe garbage", b"20990101T000000Z-ffffff", None,
                                     "deleted"])
def test_an_unreadable_pointer_keeps_the_restored_version(client, settings, capsys, pointer):
    first = _upload(client, {"programmes.csv": _programmes(drop=1)}).get_json()["version"]
    _upload(client, {"programmes.csv": _programmes(drop=2)})
    assert client.post("/admin/restore", json={"version": first},
                       headers=basic(*EDITOR)).status_code == 200
    marker = Path(settings.data_root) / "current"
    if pointer is None:
        marker.unlink()
        marker.mkdir()  # a folder where the file should be: unreadable
    elif pointer == "deleted":
        marker.unlink()
    else:
        marker.write_bytes(pointer)
    restarted = create_app(settings).server.test_client()
    health = _health(restarted)
    assert health["data_version"] == first
    assert health["fallback"]["reason"] == "pointer"
    assert _cli("data", "list", "--root", settings.data_root) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "pointer is unreadable" in lines[0]
    assert [line[2:].split()[0] for line in lines if line.startswith("* ")] == [first]


# --- 9. faults ------------------------------------------------------------------------------

STEPS = ("staging", "meta", "rename", "pointer", "history")


class Killed(BaseException):
    """A kill: nothing but ``finally`` blocks runs after it."""


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("fault", ["disk_full", "kill"])
def test_a_publish_cut_at_any_step_leaves_everything_consistent(
        tmp_path, monkeypatch, step, fault):
    settings = Settings.load(data_dir=DEMO_DATA_DIR, data_root=str(tmp_path / "root"),
                             today=PUBLISH_DAY)
    data = versions.DataVersions(settings)
    countries = load_countries()
    root = Path(settings.data_root)
    before = data.publish({"programmes.csv": _programmes(drop=1)}, countries, user="t",
                          action="upload")
    assert before.ok

    def cut(name):
        if name == step:
            if fault == "kill":
                raise Killed()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(versions, "_step", cut)
    files = {"programmes.csv": _programmes(drop=2)}
    if fault == "kill":
        with pytest.raises(Killed):
            data.publish(files, countries, user="t", action="upload")
    else:
        outcome = data.publish(files, countries, user="t", action="upload")
        assert not outcome.ok
        message = outcome.problems[0].text("en")
        assert "No space left on device" in message and "nothing changed" in message
        assert str(root) not in message
        assert "plus de place" in outcome.problems[0].text("fr") or "espace" in \
            outcome.problems[0].text("fr") or "No space" in outcome.problems[0].text("fr")
    monkeypatch.setattr(versions, "_step", lambda name: None)
    fresh = versions.DataVersions(settings)
    served = fresh.serve(countries)
    listed = [row["version"] for row in fresh.listing() if row["current"]]
    assert served.name == before.version and listed == [before.version]
    assert served.notice is None
    assert _history(root)[-1]["to"] == before.version
    assert list((root / "staging").iterdir()) == []
    assert fresh.names() == [before.version]  # no orphan version
    assert not [p for p in root.iterdir() if p.name.startswith(".current.")]


def test_a_switch_killed_before_its_record_is_recorded_at_the_next_write(tmp_path):
    settings = Settings.load(data_dir=DEMO_DATA_DIR, data_root=str(tmp_path / "root"),
                             today=PUBLISH_DAY)
    data = versions.DataVersions(settings)
    countries = load_countries()
    first = data.publish({"programmes.csv": _programmes(drop=1)}, countries, user="t",
                         action="upload").version
    second = data.publish({"programmes.csv": _programmes(drop=2)}, countries, user="t",
                          action="upload").version
    root = Path(settings.data_root)
    (root / "current").write_text(first + "\n")  # pointer switched, then SIGKILL
    assert data.serve(countries).name == first
    assert data.restore(second, countries, user="t").ok
    history = _history(root)
    assert [entry["to"] for entry in history[-2:]] == [first, second]
    assert history[-2]["action"] == "recovered"


def test_disk_full_on_upload_is_told_to_the_editor(client, settings, monkeypatch):
    def full(name):
        if name == "meta":
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(versions, "_step", full)
    response = _upload(client, {"programmes.csv": _programmes(drop=1)})
    assert response.status_code == 422
    message = response.get_json()["problems"][0]["message"]
    assert "No space left on device" in message and settings.data_root not in message
    assert _health(client)["data_version"] == "seed"


def test_disk_full_on_the_command_line_is_a_message(tmp_path, monkeypatch, capsys):
    def full(name):
        if name == "staging":
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(versions, "_step", full)
    working = copy_demo(tmp_path / "working")
    assert _cli("data", "publish", str(working), "--root", str(tmp_path / "root")) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
