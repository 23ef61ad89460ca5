"""The validator: one small bad input per rule, located by file, row, column and value."""

from __future__ import annotations

from datetime import date

import pytest

from geodata.loading import load_network
from geodata.network import NetworkInvalid

TODAY = date(2025, 6, 1)


def problems_of(source) -> list:
    with pytest.raises(NetworkInvalid) as caught:
        load_network(source, today=TODAY)
    return caught.value.problems


def find(problems, file, row, column, severity="error"):
    """The one problem at this place (fails with the whole report otherwise)."""
    found = [
        p
        for p in problems
        if (p.file, p.row, p.column, p.severity) == (file, row, column, severity)
    ]
    assert len(found) == 1, "\n".join(map(str, problems))
    return found[0]


# (table, index of the edited row, column, written value, expected message excerpt in English,
# then in French)
CELL_RULES = [
    ("posts", 0, "lat", "abc", "expected a number", "nombre attendu (p. ex. 14,6928"),
    ("posts", 0, "lat", "95", "between -90 and 90", "valeur attendue entre -90 et 90"),
    ("posts", 1, "lon", "-180,5", "between -180 and 180", "entre -180 et 180"),
    ("posts", 0, "staff_police", "2.5", "whole number", "nombre entier attendu"),
    ("posts", 0, "staff_gendarmerie", "-1", ">= 0", "supérieure ou égale à 0"),
    ("posts", 0, "opened", "95", "expected a year", "année attendue"),
    (
        "posts", 1, "country_iso3", "Mali", "did you mean MLI (Mali)?",
        "vouliez-vous dire MLI (Mali)\u00a0?",
    ),
    ("posts", 1, "country_iso3", "MLX", "MLI (Mali)", "MLI (Mali)"),
    (
        "coverage", 1, "country_iso3", "gambie", "did you mean GMB",
        "vouliez-vous dire GMB (Gambie)\u00a0?",
    ),
    (
        "coverage", 1, "country_iso3", "XKX", "did you mean KOS (Kosovo)?",
        "vouliez-vous dire KOS (Kosovo)\u00a0?",
    ),
    (
        "coverage", 1, "role", "host", "expected one of: resident, regional",
        "valeur attendue parmi : resident, regional",
    ),
    (
        "coverage", 1, "post_id", "SSI-DAKR", "unknown post 'SSI-DAKR'; did you mean SSI-DAKAR?",
        "poste inconnu «\u00a0SSI-DAKR\u00a0» ; vouliez-vous dire SSI-DAKAR\u00a0?",
    ),
    (
        "programmes", 0, "lead_post_id", "SSI-ABIDJAN", "unknown post 'SSI-ABIDJAN'",
        "poste inconnu «\u00a0SSI-ABIDJAN\u00a0»",
    ),
    (
        "programmes", 0, "themes", "terorism", "unknown theme 'terorism'; did you mean terrorism?",
        "thème inconnu «\u00a0terorism\u00a0» ; vouliez-vous dire terrorism\u00a0?",
    ),
    (
        "programmes", 0, "cooperation_type", "training", "expected one of: technical, operational",
        "valeur attendue parmi : technical, operational",
    ),
    (
        "programmes", 0, "status", "ongoing", "expected one of: planned, active, completed",
        "valeur attendue parmi : planned, active, completed",
    ),
    (
        "programmes", 0, "beneficiaries", "police|army", "expected one of: police, gendarmerie",
        "valeurs attendues parmi : police, gendarmerie",
    ),
    (
        "programmes", 0, "start_date", "01/02/2024", "YYYY-MM-DD; did you mean 2024-02-01?",
        "AAAA-MM-JJ ; vouliez-vous dire 2024-02-01\u00a0?",
    ),
    (
        "programmes", 0, "end_date", "2024-02-30", "expected a date as YYYY-MM-DD",
        "date attendue au format AAAA-MM-JJ",
    ),
    (
        "programmes", 0, "end_date", "2023-12-31", "end_date is before start_date (2024-01-01)",
        "end_date est antérieure à start_date (2024-01-01)",
    ),
    ("programmes", 0, "budget_eur", "-5", ">= 0", "supérieure ou égale à 0"),
    ("programmes", 0, "budget_eur", "100 k€", "expected a number", "nombre attendu"),
    ("themes", 0, "color", "orange", "expected a hex colour", "couleur hexadécimale attendue"),
    ("programmes", 0, "title_fr", "", "a value is required", "une valeur est obligatoire"),
    ("posts", 0, "city", "   ", "a value is required", "une valeur est obligatoire"),
    ("programmes", 0, "countries", " | ", "a value is required", "une valeur est obligatoire"),
]


def test_regions_table_is_checked_and_located(csv_folder, tables):
    """A region naming an unknown country or repeating an id is an error at its row."""
    tables["regions"] = [
        {"region_id": "sahel", "label_fr": "Sahel", "label_en": "Sahel", "countries": "MLI|Nigr"},
        {"region_id": "sahel", "label_fr": "Sahel 2", "label_en": "Sahel 2", "countries": "SEN"},
    ]
    problems = problems_of(csv_folder(tables))
    unknown = find(problems, "regions.csv", 2, "countries")
    assert unknown.value == "Nigr" and "did you mean NER (Niger)?" in unknown.message
    assert find(problems, "regions.csv", 3, "region_id").value == "sahel"


def test_region_ids_are_link_safe(csv_folder, tables):
    """A region id goes into links (``regions=west_africa``): a comma, a space or an accent in
    it is an error at its row, in both languages."""
    tables["regions"] = [
        {"region_id": "west_africa", "label_fr": "Ouest", "label_en": "West", "countries": "SEN"},
        {"region_id": "Afrique de l'Ouest", "label_fr": "A", "label_en": "A", "countries": "MLI"},
        {"region_id": "sahel,nord", "label_fr": "S", "label_en": "S", "countries": "NER"},
    ]
    problems = problems_of(csv_folder(tables))
    bad = find(problems, "regions.csv", 3, "region_id")
    assert bad.value == "Afrique de l'Ouest"
    assert "expected an identifier" in bad.located("en")
    assert "identifiant attendu" in bad.located("fr")
    assert find(problems, "regions.csv", 4, "region_id").value == "sahel,nord"
    assert not [p for p in problems if p.row == 2 and p.column == "region_id"]


def test_regions_table_replaces_the_continents(csv_folder, tables):
    """With a regions table, the data's regions are the table's, a country in several."""
    from geodata.countries import load_countries
    from viewmodel.data import build_atlas_data

    tables["regions"] = [
        {"region_id": "sahel", "label_fr": "Sahel", "label_en": "Sahel", "countries": "MLI|SEN"},
        {"region_id": "west", "label_fr": "Ouest", "label_en": "West", "countries": "sen|GMB"},
    ]
    network = load_network(csv_folder(tables), today=TODAY)
    regions = build_atlas_data(network, load_countries()).regions
    assert regions.ids == ("sahel", "west")
    assert regions.of("SEN") == ("sahel", "west")
    assert regions.label("west", "en") == "West"


@pytest.mark.parametrize(
    "table, index, column, value, message, message_fr",
    CELL_RULES,
    ids=[f"{r[2]}={r[3]!r}" for r in CELL_RULES],
)
def test_each_cell_rule_names_file_row_column_and_value(
    csv_folder, tables, table, index, column, value, message, message_fr
):
    tables[table][index][column] = value
    problem = find(problems_of(csv_folder(tables)), f"{table}.csv", index + 2, column)
    assert message in problem.message and problem.text("en") == problem.message
    assert message_fr in problem.text("fr")
    assert problem.value == (value.strip() or None)
    assert problem.severity == "error"


def test_unknown_code_in_a_list_names_the_code(csv_folder, tables):
    tables["programmes"][1]["countries"] = "MLI|Sénégal|ZZZ"
    problems = [p for p in problems_of(csv_folder(tables)) if p.column == "countries"]
    assert [(p.row, p.value) for p in problems] == [(3, "Sénégal"), (3, "ZZZ")]
    assert problems[0].message.startswith("unknown country code 'Sénégal'")
    assert "did you mean SEN (Senegal)?" in problems[0].message
    assert problems[0].text("fr") == (
        "code pays inconnu «\u00a0Sénégal\u00a0» ; vouliez-vous dire SEN (Sénégal)\u00a0?"
    )


@pytest.mark.parametrize(
    "table, column",
    [
        ("posts", "post_id"),
        ("programmes", "programme_id"),
        ("themes", "theme_id"),
    ],
)
def test_ids_are_unique(csv_folder, tables, table, column):
    tables[table].append(dict(tables[table][0]))
    problem = find(problems_of(csv_folder(tables)), f"{table}.csv", len(tables[table]) + 1, column)
    assert f"duplicate {column}: already used on row 2" in problem.message
    assert problem.text("fr") == f"{column} en double : déjà utilisé ligne 2"


def test_coverage_pair_is_unique(csv_folder, tables):
    tables["coverage"].append({"post_id": "SSI-DAKAR", "country_iso3": "GMB", "role": "regional"})
    problem = find(problems_of(csv_folder(tables)), "coverage.csv", 5, "country_iso3")
    assert problem.message == "duplicate row: SSI-DAKAR already covers GMB on row 3"
    assert problem.text("fr") == "ligne en double : SSI-DAKAR couvre déjà GMB ligne 3"


def test_a_country_is_covered_by_at_most_one_post(csv_folder, tables):
    tables["coverage"].append({"post_id": "SSI-BAMAKO", "country_iso3": "GMB", "role": "regional"})
    problem = find(problems_of(csv_folder(tables)), "coverage.csv", 5, "country_iso3")
    assert "GMB is already covered by SSI-DAKAR (row 3)" in problem.message
    assert "GMB est déjà couvert par SSI-DAKAR (ligne 3)" in problem.text("fr")


def test_each_post_covers_its_host_country_as_resident(csv_folder, tables):
    del tables["coverage"][2]
    problem = find(problems_of(csv_folder(tables)), "coverage.csv", None, "post_id")
    assert problem.value == "SSI-BAMAKO"
    assert "posts.csv row 3" in problem.message and "host country MLI" in problem.message
    assert problem.text("fr") == (
        "le poste SSI-BAMAKO (posts.csv ligne 3) n'a pas de ligne couvrant son pays hôte MLI "
        "comme 'resident'"
    )


def test_host_country_row_must_be_resident(csv_folder, tables):
    tables["coverage"][0]["role"] = "regional"
    problem = find(problems_of(csv_folder(tables)), "coverage.csv", 2, "role")
    assert "must be 'resident'" in problem.message
    assert "son rôle doit être 'resident'" in problem.text("fr")


def test_resident_row_must_be_the_host_country(csv_folder, tables):
    tables["coverage"][1]["role"] = "resident"
    problem = find(problems_of(csv_folder(tables)), "coverage.csv", 3, "role")
    assert "SSI-DAKAR is in SEN" in problem.message and problem.value == "resident"
    assert "le pays hôte de SSI-DAKAR est SEN" in problem.text("fr")


def test_every_missing_required_column_is_reported_once(csv_folder, tables):
    for row in tables["posts"]:
        del row["lat"], row["city"], row["head_title"]
    problems = problems_of(csv_folder(tables))
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("posts.csv", None, "city"),
        ("posts.csv", None, "lat"),
    ]
    assert all(p.message == "required column is missing" for p in problems)
    assert all(p.text("fr") == "colonne obligatoire absente" for p in problems)


def test_every_problem_is_reported_at_once_in_file_and_row_order(csv_folder, tables):
    tables["themes"][1]["color"] = "blue"
    tables["posts"][1]["lat"] = "north"
    tables["posts"][0]["staff_police"] = "many"
    tables["programmes"][2]["status"] = "done"
    problems = problems_of(csv_folder(tables))
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("posts.csv", 2, "staff_police"),
        ("posts.csv", 3, "lat"),
        ("programmes.csv", 4, "status"),
        ("themes.csv", 3, "color"),
    ]


def test_workbook_problems_name_the_sheet_and_the_excel_row(workbook, tables):
    tables["posts"][1]["post_id"] = "SSI-DAKAR"
    tables["themes"][1]["color"] = "blue"
    problems = problems_of(workbook(tables))
    assert find(problems, "network.xlsx [posts]", 3, "post_id").value == "SSI-DAKAR"
    assert "hex colour" in find(problems, "network.xlsx [themes]", 3, "color").message


STATUS_WARNINGS = [
    (1, {"end_date": "2099-01-01"}, "end_date",
     "'completed' but end_date is on or after the data's date (2025-06-01)"),
    # A programme ending on the data's date is still active that day (geodata.asof).
    (1, {"end_date": "2025-06-01"}, "end_date",
     "'completed' but end_date is on or after the data's date (2025-06-01)"),
    (2, {"start_date": "2024-01-01"}, "start_date",
     "'planned' but start_date is on or before the data's date (2025-06-01)"),
    (2, {"start_date": "2025-06-01"}, "start_date",
     "'planned' but start_date is on or before the data's date (2025-06-01)"),
    (0, {"start_date": "2026-01-01"}, "start_date",
     "'active' but start_date is after the data's date (2025-06-01)"),
    (
        0,
        {"end_date": "2025-01-01", "start_date": "2024-01-01"},
        "end_date",
        "'active' but end_date is before the data's date (2025-06-01)",
    ),
]


@pytest.mark.parametrize("index, cells, column, message", STATUS_WARNINGS)
def test_status_inconsistent_with_dates_is_only_a_warning(
    csv_folder, tables, index, cells, column, message
):
    tables["programmes"][index].update(cells)
    network = load_network(csv_folder(tables), today=TODAY)
    [warning] = network.warnings
    assert (warning.file, warning.row, warning.column) == ("programmes.csv", index + 2, column)
    assert message in warning.message and warning.severity == "warning"
    assert warning.text("fr").startswith("le statut est '")


def test_warnings_come_after_errors_in_the_report(csv_folder, tables):
    tables["programmes"][1]["end_date"] = "2099-01-01"
    tables["posts"][0]["lat"] = "x"
    problems = problems_of(csv_folder(tables))
    assert [p.severity for p in problems] == ["error", "warning"]
