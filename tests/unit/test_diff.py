"""``atlas data diff``: what changed between two versions, field by field, as JSON and as a
changelog in French and English; versions named at publish (``--name``)."""

from __future__ import annotations

import copy
import json

import pytest

from cli import main
from dashboard.settings import Settings
from dataversions.versions import DataVersions
from geodata.countries import load_countries
from geodata.diff import changelog, network_diff
from tests.network_builders import dated_network, newer_network
from tests.unit.conftest import VALID_TABLES, write_csv_folder


@pytest.fixture(scope="module")
def diff():
    return network_diff(dated_network(), newer_network())


def test_programmes_added_removed_and_changed_field_by_field(diff):
    assert [p["id"] for p in diff["programmes"]["added"]] == ["P7"]
    assert diff["programmes"]["added"][0]["countries"] == ["NGA"]
    assert diff["programmes"]["added"][0]["budget_eur"] == 25_000.0
    assert [p["id"] for p in diff["programmes"]["removed"]] == ["P4"]
    assert diff["programmes"]["changed"] == [{"id": "P1", "fields": {
        "end_date": {"old": "2027-12-31", "new": "2028-06-30"},
        "budget_eur": {"old": 100_000.0, "new": 120_000.0}}}]


def test_coverage_gained_lost_and_moved(diff):
    assert diff["coverage"] == {
        "gained": [{"country": "NGA", "post": "SSI-ABUJA"}],
        "lost": [{"country": "GMB", "post": "SSI-DAKAR"}],
        "moved": [{"country": "NER", "old_post": "SSI-NIAMEY", "new_post": "SSI-ABUJA"}],
    }


def test_posts_opened_closed_and_budget(diff):
    assert [p["id"] for p in diff["posts"]["opened"]] == ["SSI-ABUJA"]
    assert [p["id"] for p in diff["posts"]["closed"]] == ["SSI-NIAMEY"]
    # 500 k€ before (P3 has no budget), 495 k€ after: +20 k (P1) -50 k (P4) +25 k (P7).
    assert diff["budget_delta_eur"] == -5_000.0


def test_no_change_between_a_network_and_itself():
    same = network_diff(dated_network(), dated_network())
    assert same == {"programmes": {"added": [], "removed": [], "changed": []},
                    "coverage": {"gained": [], "lost": [], "moved": []},
                    "posts": {"opened": [], "closed": []}, "budget_delta_eur": 0.0}
    text = changelog(same, dated_network(), dated_network(), "en", old_label="A",
                     new_label="B")
    assert text == "Changes from A to B\n\nNo change.\n"


def test_the_changelog_reads_in_french_and_english(diff):
    names = {"NER": ("Niger", "Niger"), "NGA": ("Nigeria", "Nigeria"),
             "GMB": ("Gambie", "Gambia"), "SEN": ("Sénégal", "Senegal")}

    def name(iso3, lang):
        return names.get(iso3, (iso3, iso3))[lang == "en"]

    fr = changelog(diff, dated_network(), newer_network(), "fr", old_label="Comité de juin",
                   new_label="Comité d'octobre", names=name)
    assert fr.splitlines()[0] == "Changements de Comité de juin à Comité d'octobre"
    assert "  + Nouveau programme P7 « Ports Nigeria » (Nigeria)" in fr
    assert "  − Programme retiré P4 « Ancien » (Gambie)" in fr
    assert ("  ~ P1 « Stups Sénégal » : fin 31 décembre 2027 → 30 juin 2028; "
            "budget 100 k€ → 120 k€") in (
        fr.replace("\u202f", " ").replace("\xa0", " ").replace(" €", "€"))
    assert "  → Niger : couverture désormais depuis Abuja (auparavant Niamey)" in fr
    assert "  + Nigeria : désormais couvert depuis Abuja" in fr
    assert "  − Gambie : n'est plus couvert (l'était depuis Dakar)" in fr
    assert "  + Nigeria : poste ouvert à Abuja (SSI-ABUJA)" in fr
    assert "  − Niger : poste fermé à Niamey (SSI-NIAMEY)" in fr
    en = changelog(diff, dated_network(), newer_network(), "en", old_label="June",
                   new_label="October", names=name)
    assert "  → Niger: coverage now from Abuja (was Niamey)" in en
    assert en.rstrip().splitlines()[-1].startswith("Total programme budget: −")
    assert en.rstrip().endswith("(1 programme added, 1 programme removed, 1 programme changed)")


# --- the command ----------------------------------------------------------------------------------

def two_folders(tmp_path):
    """Two CSV data folders: the second drops PRG-002, raises PRG-001's budget and covers
    Gambia from Bamako instead of Dakar."""
    old = write_csv_folder(tmp_path / "june", copy.deepcopy(VALID_TABLES))
    tables = copy.deepcopy(VALID_TABLES)
    tables["programmes"] = [row for row in tables["programmes"]
                            if row["programme_id"] != "PRG-002"]
    tables["programmes"][0]["budget_eur"] = "200000.5"
    tables["coverage"][1]["post_id"] = "SSI-BAMAKO"
    new = write_csv_folder(tmp_path / "october", tables)
    return old, new


def test_atlas_data_diff_of_two_folders_as_json(tmp_path, capsys):
    old, new = two_folders(tmp_path)
    assert main(["data", "diff", str(old), str(new), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"programmes", "coverage", "posts", "budget_delta_eur"}
    assert set(result["programmes"]) == {"added", "removed", "changed"}
    assert set(result["coverage"]) == {"gained", "lost", "moved"}
    assert set(result["posts"]) == {"opened", "closed"}
    assert [p["id"] for p in result["programmes"]["removed"]] == ["PRG-002"]
    assert result["programmes"]["changed"] == [
        {"id": "PRG-001", "fields": {"budget_eur": {"old": 150000.5, "new": 200000.5}}}]
    assert result["coverage"]["moved"] == [
        {"country": "GMB", "old_post": "SSI-DAKAR", "new_post": "SSI-BAMAKO"}]
    assert result["budget_delta_eur"] == 50_000.0


def test_atlas_data_diff_as_a_changelog(tmp_path, capsys):
    old, new = two_folders(tmp_path)
    assert main(["data", "diff", str(old), str(new), "--lang", "fr"]) == 0
    text = capsys.readouterr().out
    assert "  → Gambie : couverture désormais depuis Bamako (auparavant Dakar)" in text
    assert "  − Programme retiré PRG-002 « Appui » (Mali)" in text


def test_versions_named_at_publish_are_usable_in_diff_list_and_restore(tmp_path, capsys,
                                                                       monkeypatch):
    old, new = two_folders(tmp_path)
    root = tmp_path / "root"
    monkeypatch.delenv("ATLAS_DATA_ROOT", raising=False)
    assert main(["data", "publish", str(old), "--root", str(root),
                 "--name", "Comité du 15 juin"]) == 0
    assert main(["data", "publish", str(new), "--root", str(root),
                 "--name", "Comité du 15 septembre"]) == 0
    capsys.readouterr()
    assert main(["data", "list", "--root", str(root)]) == 0
    listing = capsys.readouterr().out
    assert '"Comité du 15 septembre"' in listing.splitlines()[0]
    assert listing.splitlines()[0].startswith("*")
    assert main(["data", "diff", "comité du 15 juin", "Comité du 15 septembre",
                 "--root", str(root), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Changes from Comité du 15 juin")
    assert "Gambia: coverage now from Bamako (was Dakar)" in text
    assert main(["data", "restore", "Comité du 15 juin", "--root", str(root)]) == 0
    assert "now serving version" in capsys.readouterr().out
    # The admin route's restore takes the given name too.
    versions = DataVersions(Settings.load(data_root=root))
    outcome = versions.restore("comité du 15 septembre", load_countries(), user="admin")
    assert outcome.ok and versions.meta(outcome.version)["name"] == "Comité du 15 septembre"
    assert main(["data", "diff", "nope", str(new), "--root", str(root)]) == 2
    assert "no version or data folder named 'nope'" in capsys.readouterr().err


def test_the_demo_ships_an_earlier_snapshot_to_compare_with(tmp_path, capsys):
    """``geodata/demo-previous`` (written by ``tools.make_demo`` with the demo) is the demo on
    15 June 2026: six programmes decided since, two cancelled, seven extended, Cabo Verde
    covered since, Eritrea no longer, Guinea-Bissau now from Dakar."""
    from geodata.loading import DEMO_DIR, DEMO_PREVIOUS_DIR, load_network
    from tools import make_demo

    make_demo.write(tmp_path / "demo", tmp_path / "previous")
    for path in sorted(DEMO_PREVIOUS_DIR.iterdir()):
        assert (tmp_path / "previous" / path.name).read_bytes() == path.read_bytes(), path.name
    assert load_network(DEMO_PREVIOUS_DIR).data_date.isoformat() == "2026-06-15"
    assert load_network(DEMO_PREVIOUS_DIR).warnings == ()  # statuses consistent with its date
    assert main(["data", "diff", str(DEMO_PREVIOUS_DIR), str(DEMO_DIR), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["programmes"]["added"]) == 6
    assert [p["id"] for p in result["programmes"]["removed"]] == ["PRG-9001", "PRG-9002"]
    assert len(result["programmes"]["changed"]) == 7
    assert result["coverage"] == {
        "gained": [{"country": "CPV", "post": "SSI-DAKAR"}],
        "lost": [{"country": "ERI", "post": "SSI-ADDIS-ABEBA"}],
        "moved": [{"country": "GNB", "old_post": "SSI-CONAKRY", "new_post": "SSI-DAKAR"}]}
