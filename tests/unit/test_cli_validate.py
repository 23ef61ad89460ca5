"""``atlas validate``: summary or report, text or JSON, and exit codes."""

from __future__ import annotations

import json

from cli import main
from geodata.loading import DEMO_DIR

SUMMARY_KEYS = {"posts", "staff", "covered_countries", "programmes", "themes"}
PROBLEM_KEYS = {"file", "row", "column", "value", "message"}


def test_valid_data_prints_a_summary_and_exits_0(csv_folder, tables, capsys):
    assert main(["validate", str(csv_folder(tables, "french"))]) == 0
    out = capsys.readouterr().out
    assert "posts              2" in out
    assert "staff              9 (police 5 · gendarmerie 3 · civil security 1)" in out
    assert "covered countries  3" in out
    assert "(planned 1 · active 1 · completed 1)" in out
    assert "terrorism 2 · organised_crime 2" in out


def test_valid_data_as_json(csv_folder, tables, capsys):
    assert main(["validate", "--json", "--data", str(csv_folder(tables))]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert SUMMARY_KEYS <= set(summary)
    assert summary["posts"] == 2 and summary["covered_countries"] == 3
    assert summary["staff"] == {"total": 9, "police": 5, "gendarmerie": 3, "civil_security": 1}
    assert summary["programmes"]["total"] == 3
    assert summary["programmes"]["by_status"] == {"planned": 1, "active": 1, "completed": 1}
    assert summary["themes"] == {"terrorism": 2, "organised_crime": 2}
    assert summary["is_demo"] is False and summary["warnings"] == []


def test_data_folder_defaults_to_the_environment(csv_folder, tables, capsys, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(csv_folder(tables)))
    assert main(["validate", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["posts"] == 2


def test_workbook_path_is_accepted(workbook, tables, capsys):
    assert main(["validate", str(workbook(tables))]) == 0
    assert "posts              2" in capsys.readouterr().out


def test_warnings_are_printed_but_do_not_fail(csv_folder, tables, capsys):
    tables["programmes"][1]["end_date"] = "2099-01-01"
    assert main(["validate", str(csv_folder(tables))]) == 0
    out = capsys.readouterr().out
    assert "1 warning:" in out and "warning(s)" not in out
    assert "programmes.csv, row 3, column end_date: status is 'completed'" in out


def test_invalid_data_prints_one_line_per_problem_and_exits_1(csv_folder, tables, capsys):
    tables["posts"][0]["lat"] = "95"
    tables["themes"][1]["color"] = "blue"
    assert main(["validate", str(csv_folder(tables))]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(": 2 errors, 0 warnings")
    assert "posts.csv, row 2, column lat: expected a value between -90 and 90" in lines[1]
    assert "(value: '95')" in lines[1]
    assert "themes.csv, row 3, column color" in lines[2]


def test_problem_messages_in_french(csv_folder, tables, capsys):
    tables["posts"][0]["lat"] = "95"
    tables["coverage"][1]["country_iso3"] = "Mali"
    assert main(["validate", "--lang", "fr", str(csv_folder(tables))]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(" : 2 erreurs, 0 avertissement")
    assert lines[1].endswith(
        "posts.csv, ligne 2, colonne lat: valeur attendue entre -90 et 90 (valeur : '95')"
    )
    assert "coverage.csv, ligne 3, colonne country_iso3: code pays inconnu «\u00a0Mali\u00a0» ; " \
        "vouliez-vous dire MLI (Mali)\u00a0?" in lines[2]
    assert main(["validate", "--json", "--lang", "fr", str(csv_folder(tables))]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert problems[0]["message"] == "valeur attendue entre -90 et 90"
    assert problems[0]["key"] == "problem.value.range"
    assert problems[0]["params"] == {"minimum": -90.0, "maximum": 90.0}


def test_invalid_data_as_json(csv_folder, tables, capsys):
    tables["coverage"][1]["country_iso3"] = "Mali"
    assert main(["validate", "--json", str(csv_folder(tables))]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert isinstance(problems, list)
    assert all(PROBLEM_KEYS <= set(problem) for problem in problems)
    [unknown] = [p for p in problems if p["column"] == "country_iso3"]
    assert unknown["file"] == "coverage.csv" and unknown["row"] == 3
    assert unknown["value"] == "Mali" and "did you mean MLI" in unknown["message"]


def test_missing_folder_is_a_problem_not_a_traceback(tmp_path, capsys):
    assert main(["validate", "--json", str(tmp_path / "nowhere")]) == 1
    [problem] = json.loads(capsys.readouterr().out)
    assert "not found" in problem["message"]


def test_the_demo_data_validates_without_errors(capsys):
    assert main(["validate", "--json", str(DEMO_DIR)]) == 0, capsys.readouterr().out
    summary = json.loads(capsys.readouterr().out)
    assert summary["is_demo"] is True and summary["posts"] > 0
