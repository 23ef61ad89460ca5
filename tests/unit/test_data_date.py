"""The data's own date: set by the analyst (meta table) or at publish, never read from the
files' modification times nor from the calendar in the middle of a check."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, date, datetime

import pytest

from cli import main
from dashboard import ids
from dashboard.settings import DEMO_DATA_DIR, Settings
from dataversions.versions import DataVersions
from exports import describe
from geodata.countries import load_countries
from geodata.loading import load_network
from geodata.network import NetworkInvalid
from tests.unit.serving import copy_demo
from tools.make_demo import REFERENCE_DATE
from viewmodel.data import build_atlas_data
from viewmodel.urlstate import ViewState

FAR_AWAY = date(2031, 6, 1)


def dated(tables: dict, value: str, key: str = "data_date") -> dict:
    return {**tables, "meta": [{"key": key, "value": value}]}


def load(source, **options):
    return load_network(source, **options)


def test_the_meta_table_dates_a_csv_folder(csv_folder, tables):
    network = load(csv_folder(dated(tables, "2025-03-31")), today=FAR_AWAY)
    assert network.data_date == date(2025, 3, 31)


def test_the_meta_sheet_dates_a_workbook(workbook, tables):
    network = load(workbook(dated(tables, "2025-03-31")), today=FAR_AWAY)
    assert network.data_date == date(2025, 3, 31)


def test_a_copy_keeps_the_date_whatever_its_files_times(tmp_path, capsys):
    """``atlas validate --json`` reports the same data_date for the demo and for a copy whose
    files were all touched years later."""
    copy = copy_demo(tmp_path / "copy")
    later = datetime(2031, 6, 1, tzinfo=UTC).timestamp()
    for path in copy.iterdir():
        os.utime(path, (later, later))
    reported = []
    for folder in (DEMO_DATA_DIR, copy):
        assert main(["validate", "--json", str(folder)]) == 0
        reported.append(json.loads(capsys.readouterr().out)["data_date"])
    assert reported == ["2026-11-23", "2026-11-23"]


def test_exports_print_the_data_date_not_the_checkout_day(tmp_path):
    copy = copy_demo(tmp_path / "copy")
    countries = load_countries()
    data = build_atlas_data(load_network(copy, countries, today=FAR_AWAY), countries)
    assert describe.footer_text(data, "fr").startswith("Données au 23 novembre 2026 · ")
    assert describe.footer_text(data, "en").startswith("Data as of 23 November 2026 · ")
    assert describe.file_stem(data, ViewState()) == "couverture-du-reseau-2026-11-23"


def test_a_date_that_is_not_iso_is_located(csv_folder, tables):
    with pytest.raises(NetworkInvalid) as caught:
        load(csv_folder(dated(tables, "23/11/2026")))
    problem = next(p for p in caught.value.problems if p.file == "meta.csv")
    assert (problem.row, problem.column, problem.value) == (2, "value", "23/11/2026")
    assert "YYYY-MM-DD" in problem.message and "did you mean 2026-11-23" in problem.message
    assert "AAAA-MM-JJ" in problem.text("fr")


def test_an_unknown_meta_key_is_an_error(csv_folder, tables):
    with pytest.raises(NetworkInvalid) as caught:
        load(csv_folder(dated(tables, "2025-03-31", key="date")))
    problem = next(p for p in caught.value.problems if p.file == "meta.csv")
    assert (problem.row, problem.column) == (2, "key")
    assert "data_date" in problem.message


def test_status_warnings_are_checked_on_the_data_date(csv_folder, tables):
    """'active' with an end date after the data's date is fine, whatever today is; the same
    data dated later than the end date warns and names the date."""
    tables["programmes"][0]["end_date"] = "2026-01-31"
    quiet = load(csv_folder(dated(tables, "2026-01-15")), today=FAR_AWAY)
    assert quiet.warnings == ()
    warned = load(csv_folder(dated(tables, "2026-03-01")), today=date(2026, 1, 1))
    assert [(p.row, p.column) for p in warned.warnings] == [(2, "end_date")]
    assert warned.warnings[0].message == (
        "status is 'active' but end_date is before the data's date (2026-03-01)")


def test_undated_data_is_checked_on_the_given_day_only(csv_folder, tables):
    tables["programmes"][0]["end_date"] = "2026-01-31"
    folder = csv_folder(tables)
    assert len(load(folder, today=date(2026, 3, 1)).warnings) == 1
    assert load(folder, today=date(2026, 1, 1)).warnings == ()
    assert load(folder).warnings == ()  # no date known: the status check is not run
    assert load(folder, data_date=date(2026, 3, 1)).data_date == date(2026, 3, 1)


def test_publish_dates_every_version(tmp_path):
    """The date given to the publish, else the data's own, else the publish day (the atlas's
    settable today); recorded with the version and kept when it is loaded again."""
    countries = load_countries()
    undated = copy_demo(tmp_path / "undated")
    (undated / "meta.csv").unlink()
    publish_day = date(2026, 11, 30)
    settings = Settings.load(data_dir=undated, data_root=str(tmp_path / "root"),
                             today=publish_day)
    versions = DataVersions(settings)

    by_day = versions.publish_seed(countries, user="alice")
    assert by_day.ok and by_day.dated_by == "publish_day"
    assert by_day.network.data_date == publish_day
    assert versions.meta(by_day.version)["data_date"] == "2026-11-30"
    assert "le jour de la publication" in describe_outcome(by_day, "fr")

    by_option = versions.publish_seed(countries, user="alice", data_date=date(2026, 10, 1))
    assert by_option.dated_by == "option" and by_option.as_dict()["data_date"] == "2026-10-01"
    reloaded = DataVersions(Settings.load(data_dir=undated, data_root=str(tmp_path / "root"),
                                          today=FAR_AWAY))
    name, network = reloaded.load_current(countries)
    assert name == by_option.version and network.data_date == date(2026, 10, 1)

    demo = DataVersions(Settings.load(data_dir=DEMO_DATA_DIR, data_root=str(tmp_path / "r2"),
                                      today=FAR_AWAY))
    by_meta = demo.publish_seed(countries, user="alice")
    assert by_meta.dated_by == "meta" and by_meta.network.data_date == REFERENCE_DATE
    assert by_meta.network.warnings == ()


def describe_outcome(outcome, lang: str) -> str:
    from dataversions.versions import dated_text

    return dated_text(outcome, lang)


def test_publish_date_option_on_the_command_line(tmp_path, capsys):
    working = copy_demo(tmp_path / "working")
    root = str(tmp_path / "root")
    assert main(["data", "publish", str(working), "--root", root, "--date", "2026-10-01"]) == 0
    out = capsys.readouterr().out
    assert "Data as of 1 October 2026 (the date given to the publish)." in out
    assert main(["data", "list", "--root", root]) == 0
    assert "data as of 2026-10-01" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        main(["data", "publish", str(working), "--root", root, "--date", "1/10/2026"])
    assert stopped.value.code == 2
    assert "expected a date as YYYY-MM-DD" in capsys.readouterr().err


def test_the_atlas_today_is_one_setting(monkeypatch):
    monkeypatch.setenv("ATLAS_TODAY", "2026-11-23")
    assert Settings.load().current_date() == date(2026, 11, 23)
    assert Settings.load(today=date(2027, 1, 1)).current_date() == date(2027, 1, 1)
    monkeypatch.setenv("ATLAS_TODAY", "tomorrow")
    with pytest.raises(ValueError, match="ATLAS_TODAY"):
        Settings.load()


def test_the_screen_shows_the_data_date(tmp_path):
    """The map's source line says what date the data describes, in the page's language."""
    from dashboard.app import create_app

    shutil.copytree(DEMO_DATA_DIR, tmp_path / "demo")
    app = create_app(Settings.load(data_dir=tmp_path / "demo", today=FAR_AWAY))
    client = app.server.test_client()

    def source_line(headers: dict) -> str:
        layout = client.get("/_dash-layout", headers=headers).get_json()
        return _find(layout, ids.MAP_SOURCE)["props"]["children"]

    assert source_line({}).startswith("Données au 23 novembre 2026 · Sources")
    english = source_line({"Referer": "http://atlas/?lang=en"})
    assert english.startswith("Data as of 23 November 2026 · Sources")


def _find(component, component_id: str):
    """The component with ``component_id`` in a serialised layout (None when absent)."""
    if isinstance(component, list):
        return next(filter(None, (_find(child, component_id) for child in component)), None)
    if not isinstance(component, dict):
        return None
    props = component.get("props", {})
    if props.get("id") == component_id:
        return component
    return _find(props.get("children"), component_id)
