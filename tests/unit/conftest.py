"""Fixtures for the loader, validator and ``atlas validate`` tests: a minimal valid network
written as CSV (several dialects) or as an Excel workbook in a temporary folder."""

from __future__ import annotations

import copy
import csv
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

VALID_TABLES: dict[str, list[dict[str, str]]] = {
    "posts": [
        {
            "post_id": "SSI-DAKAR",
            "city": "Dakar",
            "country_iso3": "SEN",
            "lat": "14.6928",
            "lon": "-17.4467",
            "opened": "1995",
            "staff_police": "3",
            "staff_gendarmerie": "2",
            "staff_civil_security": "1",
            "head_title": "Attaché de sécurité intérieure",
        },
        {
            "post_id": "SSI-BAMAKO",
            "city": "Bamako",
            "country_iso3": "MLI",
            "lat": "12.6392",
            "lon": "-8.0029",
            "opened": "",
            "staff_police": "2",
            "staff_gendarmerie": "1",
            "staff_civil_security": "0",
            "head_title": "",
        },
    ],
    "coverage": [
        {"post_id": "SSI-DAKAR", "country_iso3": "SEN", "role": "resident"},
        {"post_id": "SSI-DAKAR", "country_iso3": "GMB", "role": "regional"},
        {"post_id": "SSI-BAMAKO", "country_iso3": "MLI", "role": "resident"},
    ],
    "programmes": [
        {
            "programme_id": "PRG-001",
            "title_fr": "Formation à l'enquête",
            "title_en": "Training",
            "countries": "SEN|GMB",
            "lead_post_id": "SSI-DAKAR",
            "themes": "terrorism",
            "cooperation_type": "technical",
            "status": "active",
            "start_date": "2024-01-01",
            "end_date": "2099-12-31",
            "budget_eur": "150000.5",
            "partners": "UNODC|EU",
            "beneficiaries": "police|gendarmerie",
            "description": "Appui à la police judiciaire",
        },
        {
            "programme_id": "PRG-002",
            "title_fr": "Appui",
            "title_en": "",
            "countries": "MLI",
            "lead_post_id": "",
            "themes": "terrorism|organised_crime",
            "cooperation_type": "operational",
            "status": "completed",
            "start_date": "2020-01-01",
            "end_date": "2021-06-30",
            "budget_eur": "",
            "partners": "",
            "beneficiaries": "",
            "description": "",
        },
        {
            "programme_id": "PRG-003",
            "title_fr": "Projet",
            "title_en": "Project",
            "countries": "SEN",
            "lead_post_id": "SSI-DAKAR",
            "themes": "organised_crime",
            "cooperation_type": "partnership",
            "status": "planned",
            "start_date": "2090-01-01",
            "end_date": "",
            "budget_eur": "20000",
            "partners": "",
            "beneficiaries": "customs",
            "description": "",
        },
    ],
    "themes": [
        {
            "theme_id": "terrorism",
            "label_fr": "Terrorisme",
            "label_en": "Terrorism",
            "color": "#E69F00",
        },
        {
            "theme_id": "organised_crime",
            "label_fr": "Criminalité organisée",
            "label_en": "Organised crime",
            "color": "#56B4E9",
        },
    ],
}

DECIMAL_COLUMNS = {"lat", "lon", "budget_eur"}

DIALECTS = {
    "plain": {"separator": ",", "encoding": "utf-8", "decimal": "."},
    "french": {"separator": ";", "encoding": "cp1252", "decimal": ","},
    "bom": {"separator": ";", "encoding": "utf-8-sig", "decimal": ","},
}


def write_csv_folder(folder: Path, tables: dict, dialect: str = "plain") -> Path:
    """Write each table as ``<name>.csv`` in ``folder`` in one of :data:`DIALECTS`."""
    options = DIALECTS[dialect]
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        columns = list(VALID_TABLES[name][0]) if not rows else list(rows[0])
        with open(folder / f"{name}.csv", "w", encoding=options["encoding"], newline="") as out:
            writer = csv.writer(out, delimiter=options["separator"])
            writer.writerow(columns)
            for row in rows:
                writer.writerow(
                    [
                        str(row.get(column, "")).replace(".", options["decimal"])
                        if column in DECIMAL_COLUMNS
                        else row.get(column, "")
                        for column in columns
                    ]
                )
    return folder


def _typed_cell(column: str, text: str) -> object:
    """The cell as Excel would store it: numbers as numbers, dates as datetimes, else text."""
    if text == "":
        return None
    try:
        if column in DECIMAL_COLUMNS:
            return float(text)
        if column.startswith("staff_") or column == "opened":
            return int(text)
        if column.endswith("_date"):
            return datetime.fromisoformat(text)
    except ValueError:
        pass
    return text


def write_workbook(path: Path, tables: dict) -> Path:
    """Write the tables as sheets of one .xlsx workbook, with typed cells."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in tables.items():
        sheet = workbook.create_sheet(name)
        columns = list(rows[0]) if rows else list(VALID_TABLES[name][0])
        sheet.append(columns)
        for row in rows:
            sheet.append([_typed_cell(column, row.get(column, "")) for column in columns])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


@pytest.fixture
def tables() -> dict:
    """A fresh, editable copy of the minimal valid network (every cell a string)."""
    return copy.deepcopy(VALID_TABLES)


@pytest.fixture
def csv_folder(tmp_path):
    """``csv_folder(tables, dialect="plain")`` writes the tables in tmp_path/data."""

    def make(tables: dict, dialect: str = "plain") -> Path:
        return write_csv_folder(tmp_path / "data", tables, dialect)

    return make


@pytest.fixture
def workbook(tmp_path):
    """``workbook(tables)`` writes the tables as tmp_path/data/network.xlsx."""

    def make(tables: dict) -> Path:
        return write_workbook(tmp_path / "data" / "network.xlsx", tables)

    return make
