"""The loader: CSV dialects, Excel workbooks, the in-memory contract, and broken inputs."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geodata.loading import DEMO_DIR, is_demo_source, load_network
from geodata.network import NetworkInvalid

TODAY = date(2025, 6, 1)


def load(source):
    return load_network(source, today=TODAY)


def problems_of(source) -> list:
    with pytest.raises(NetworkInvalid) as caught:
        load(source)
    return caught.value.problems


@pytest.mark.parametrize("dialect", ["plain", "french", "bom"])
def test_each_csv_dialect_loads_the_same_network(csv_folder, tables, dialect):
    """Comma + UTF-8, French Excel (; cp1252 decimal comma) and UTF-8 with BOM all load."""
    network = load(csv_folder(tables, dialect))
    posts = network.posts.set_index("post_id")
    assert posts.at["SSI-DAKAR", "lat"] == pytest.approx(14.6928)
    assert posts.at["SSI-DAKAR", "lon"] == pytest.approx(-17.4467)
    assert posts.at["SSI-DAKAR", "head_title"] == "Attaché de sécurité intérieure"
    assert network.programmes.set_index("programme_id").at["PRG-001", "budget_eur"] == 150000.5
    assert network.programmes.at[1, "title_fr"] == "Appui"
    assert network.warnings == ()


def test_frames_follow_the_network_contract(csv_folder, tables):
    network = load(csv_folder(tables))
    posts, programmes = network.posts, network.programmes
    assert list(posts.columns) == [
        "post_id",
        "city",
        "city_en",
        "city_fr_of",
        "country_iso3",
        "lat",
        "lon",
        "opened",
        "staff_police",
        "staff_gendarmerie",
        "staff_civil_security",
        "staff_total",
        "head_title",
        "head_title_en",
    ]
    assert posts["city_en"].tolist() == posts["city"].tolist()  # no city_en column: the city
    assert posts["city_fr_of"].tolist() == ["", ""]  # no city_fr_of column: derived forms
    assert posts["lat"].dtype == "float64" and posts["opened"].dtype == "Int64"
    assert posts["staff_total"].dtype == "int64"
    assert posts["staff_total"].tolist() == [6, 3]
    assert pd.isna(posts.at[1, "opened"]) and posts.at[1, "head_title"] == ""
    assert programmes.at[0, "countries"] == ("SEN", "GMB")
    assert programmes.at[1, "themes"] == ("terrorism", "organised_crime")
    assert programmes.at[1, "partners"] == () and programmes.at[0, "beneficiaries"] == (
        "police",
        "gendarmerie",
    )
    assert programmes.at[1, "title_en"] == "" and programmes.at[1, "lead_post_id"] == ""
    assert pd.api.types.is_datetime64_dtype(programmes["start_date"])
    assert pd.isna(programmes.at[2, "end_date"]) and pd.isna(programmes.at[1, "budget_eur"])
    assert network.themes["color"].tolist() == ["#e69f00", "#56b4e9"]
    assert set(network.programme_countries["country_iso3"]) == {"SEN", "GMB", "MLI"}
    assert network.is_demo is False and network.data_date is None  # no meta table: undated


def test_english_city_names_are_optional_per_row(csv_folder, tables):
    for post, city_en in zip(tables["posts"], ["  ", "Bamako (EN)"], strict=False):
        post["city_en"] = city_en
    posts = load(csv_folder(tables)).posts.set_index("post_id")
    assert posts.at["SSI-DAKAR", "city_en"] == "Dakar"
    assert posts.at["SSI-BAMAKO", "city_en"] == "Bamako (EN)"
    assert posts.at["SSI-DAKAR", "head_title_en"] == "Attaché de sécurité intérieure"


def test_french_of_city_forms_are_optional_per_row(csv_folder, tables):
    """city_fr_of gives the French "of <city>" where the article cannot be derived."""
    for post, written in zip(tables["posts"], [" du Caire ", ""], strict=False):
        post["city_fr_of"] = written
    posts = load(csv_folder(tables)).posts.set_index("post_id")
    assert posts.at["SSI-DAKAR", "city_fr_of"] == "du Caire"
    assert posts.at["SSI-BAMAKO", "city_fr_of"] == ""


def test_workbook_loads_by_path_and_as_the_only_file_of_a_folder(workbook, tables):
    path = workbook(tables)
    for source in (path, path.parent):
        network = load(source)
        assert network.posts["lat"].tolist() == pytest.approx([14.6928, 12.6392])
        assert network.posts["opened"].tolist()[0] == 1995
        assert network.programmes.at[0, "start_date"] == pd.Timestamp("2024-01-01")
    (path.parent / "~$network.xlsx").write_bytes(b"Excel lock file")
    assert len(load(path.parent).posts) == 2


def test_lenient_spelling_of_headers_codes_and_numbers(csv_folder, tables, tmp_path):
    """Header case/spaces, lower-case codes and enums, thousands spaces, #rgb colours."""
    tables["posts"][0]["country_iso3"] = "sen"
    tables["programmes"][0]["status"] = "Active"
    tables["programmes"][0]["budget_eur"] = "1\u00a0500 000,50"
    tables["themes"][0]["color"] = "#F90"
    folder = csv_folder(tables, "french")
    posts = folder / "posts.csv"
    text = posts.read_text("cp1252")
    posts.write_text(text.replace("post_id", "Post ID", 1), "cp1252")
    network = load(folder)
    assert network.posts.at[0, "country_iso3"] == "SEN"
    assert network.programmes.at[0, "status"] == "active"
    assert network.programmes.at[0, "budget_eur"] == 1_500_000.5
    assert network.themes.at[0, "color"] == "#ff9900"


def test_excel_separator_hint_and_utf16(csv_folder, tables):
    folder = csv_folder(tables, "french")
    coverage = folder / "coverage.csv"
    coverage.write_text("sep=;\n" + coverage.read_text("cp1252"), "cp1252")
    themes = folder / "themes.csv"
    themes.write_text(themes.read_text("cp1252").replace(";", "\t"), "utf-16")
    network = load(folder)
    assert len(network.coverage) == 3 and len(network.themes) == 2


def test_optional_columns_may_be_entirely_blank(csv_folder, tables):
    optional = ["title_en", "lead_post_id", "end_date", "budget_eur", "partners", "beneficiaries"]
    for row in tables["programmes"]:
        row.update(dict.fromkeys(optional, ""))
    for row in tables["posts"]:
        row.update(opened="", head_title="")
    network = load(csv_folder(tables))
    assert network.programmes["partners"].tolist() == [(), (), ()]
    assert network.programmes["budget_eur"].isna().all()
    assert network.posts["opened"].isna().all() and network.posts["head_title"].eq("").all()


def test_hostile_text_is_kept_literally(csv_folder, tables):
    tables["programmes"][0]["title_fr"] = "<script>alert(1)</script>"
    tables["programmes"][0]["description"] = 'quote " and ; separator'
    network = load(csv_folder(tables, "french"))
    assert network.programmes.at[0, "title_fr"] == "<script>alert(1)</script>"
    assert network.programmes.at[0, "description"] == 'quote " and ; separator'


def test_blank_lines_are_skipped_but_counted_in_row_numbers(csv_folder, tables):
    tables["posts"][1]["lat"] = "north"
    folder = csv_folder(tables)
    posts = folder / "posts.csv"
    lines = posts.read_text().splitlines()
    posts.write_text("\n".join([lines[0], lines[1], "", ",,,", lines[2]]) + "\n")
    [problem] = problems_of(folder)
    assert (problem.file, problem.row, problem.column) == ("posts.csv", 5, "lat")


def test_demo_folder_is_recognised(tmp_path):
    assert is_demo_source(DEMO_DIR) and is_demo_source(DEMO_DIR / ".." / "demo")
    assert not is_demo_source(tmp_path)


def _zero_bytes(folder):
    (folder / "posts.csv").write_bytes(b"")


def _binary_junk(folder):
    (folder / "posts.csv").write_bytes(bytes(range(256)) * 4)


def _undecodable(folder):
    (folder / "posts.csv").write_bytes(b"post_id,city\nSSI-\x81\x8d\x9d,Dakar\n")


def _missing_file(folder):
    (folder / "themes.csv").unlink()


def _missing_column(folder):
    text = (folder / "coverage.csv").read_text()
    (folder / "coverage.csv").write_text(text.replace("role", "roles", 1))


def _workbook_renamed_csv(folder):
    (folder / "themes.csv").write_bytes(b"PK\x03\x04 not really a workbook")


def _blank_file(folder):
    (folder / "themes.csv").write_text("\n \n;;;\n")


def _ragged_row(folder):
    with open(folder / "coverage.csv", "a") as out:
        out.write("SSI-DAKAR,SEN,regional,extra,cells\n")


def _duplicate_column(folder):
    text = (folder / "themes.csv").read_text().splitlines()
    lines = [line + ",x" for line in text]
    lines[0] = text[0] + ",color"
    (folder / "themes.csv").write_text("\n".join(lines) + "\n")


BROKEN_CSV = {
    _zero_bytes: ("posts.csv", "empty"),
    _binary_junk: ("posts.csv", "binary"),
    _undecodable: ("posts.csv", "cannot be decoded"),
    _missing_file: ("themes.csv", "not found"),
    _missing_column: ("coverage.csv", "required column is missing"),
    _workbook_renamed_csv: ("themes.csv", "Excel workbook"),
    _blank_file: ("themes.csv", "empty"),
    _ragged_row: ("coverage.csv", "more cells than the header"),
    _duplicate_column: ("themes.csv", "more than once"),
}


@pytest.mark.parametrize("breakage", list(BROKEN_CSV), ids=lambda f: f.__name__.strip("_"))
def test_broken_csv_inputs_become_problems(csv_folder, tables, breakage):
    folder = csv_folder(tables)
    breakage(folder)
    file, message = BROKEN_CSV[breakage]
    problems = problems_of(folder)
    assert any(p.file == file and message in p.message for p in problems), problems
    # every message exists in both languages (the data-update report shows the French one)
    assert all(p.key and p.text("fr") not in ("", p.message) for p in problems), problems


def test_missing_column_hints_at_a_misspelt_header(csv_folder, tables):
    folder = csv_folder(tables)
    _missing_column(folder)
    [problem] = [p for p in problems_of(folder) if p.column == "role"]
    assert problem.row is None and "'roles'" in problem.message


def test_a_missing_table_does_not_cascade_into_other_rules(csv_folder, tables):
    folder = csv_folder(tables)
    (folder / "coverage.csv").unlink()
    assert [p.file for p in problems_of(folder)] == ["coverage.csv"]


def test_broken_workbooks_become_problems(workbook, tables, tmp_path):
    path = workbook({name: rows for name, rows in tables.items() if name != "themes"})
    [problem] = problems_of(path)
    assert problem.file == "network.xlsx [themes]" and "sheet not found" in problem.message
    assert "posts, coverage, programmes" in problem.message

    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"this is not a zip archive")
    [problem] = problems_of(fake)
    assert problem.file == "fake.xlsx" and "Excel workbook" in problem.message

    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert problems_of(empty)[0].file == "empty.xlsx"


def test_bad_sources_become_problems(tmp_path, workbook, tables):
    assert "not found" in problems_of(tmp_path / "nowhere")[0].message
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert "expected a folder" in problems_of(text)[0].message
    empty = tmp_path / "empty"
    empty.mkdir()
    assert {p.file for p in problems_of(empty)} == {
        "posts.csv",
        "coverage.csv",
        "programmes.csv",
        "themes.csv",
    }
    path = workbook(tables)
    (path.parent / "copy.xlsx").write_bytes(path.read_bytes())
    assert "several workbooks" in problems_of(path.parent)[0].message


def test_header_only_tables_are_read(csv_folder, tables):
    """A table with a header and no rows is read; the rules then say what is missing."""
    tables["programmes"] = []
    network = load(csv_folder(tables))
    assert network.programmes.empty and list(network.programmes.columns)[0] == "programme_id"
