"""The shipped demonstration data set (``geodata/demo``) and its generator ``tools.make_demo``.

Checked with plain pandas, independently of the loader, plus one test through the official
loader (``geodata.loading.load_network``) when it is available.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geodata.countries import load_countries
from geodata.loading import DEMO_DIR
from tools import make_demo

FILES = ("themes.csv", "posts.csv", "coverage.csv", "programmes.csv", "meta.csv", "regions.csv")
REFERENCE_DATE = pd.Timestamp("2026-11-23")

# Geometries that are not countries an internal-security post would cover.
NOT_COVERABLE = {
    "ATA",
    "ATF",
    "HMD",
    "SGS",
    "IOT",
    "UMI",
    "BRT",
    "ESB",
    "WSB",
    "USG",
    "CLP",
    "SCR",
    "PGA",
    "ATC",
    "CSI",
    "IOA",
    "BRI",
}
STAFF = ["staff_police", "staff_gendarmerie", "staff_civil_security"]


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DEMO_DIR / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def posts() -> pd.DataFrame:
    return _read("posts.csv")


@pytest.fixture(scope="module")
def coverage() -> pd.DataFrame:
    return _read("coverage.csv")


@pytest.fixture(scope="module")
def programmes() -> pd.DataFrame:
    return _read("programmes.csv")


@pytest.fixture(scope="module")
def themes() -> pd.DataFrame:
    return _read("themes.csv")


@pytest.fixture(scope="module")
def iso3() -> set[str]:
    return set(load_countries()["iso3"])


def _long(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    out = frame.assign(**{column: frame[column].str.split("|")}).explode(column)
    return out[out[column] != ""]


def test_columns_are_exactly_the_data_model():
    expected = {
        "themes.csv": make_demo.THEMES_HEADER,
        "posts.csv": make_demo.POSTS_HEADER,
        "coverage.csv": make_demo.COVERAGE_HEADER,
        "programmes.csv": make_demo.PROGRAMMES_HEADER,
        "regions.csv": make_demo.REGIONS_HEADER,
    }
    assert make_demo.REGIONS_HEADER == ["region_id", "label_fr", "label_en", "countries"]
    assert make_demo.POSTS_HEADER == [
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
        "head_title",
        "head_title_en",
    ]
    assert make_demo.PROGRAMMES_HEADER == [
        "programme_id",
        "title_fr",
        "title_en",
        "countries",
        "lead_post_id",
        "themes",
        "cooperation_type",
        "status",
        "start_date",
        "end_date",
        "budget_eur",
        "partners",
        "beneficiaries",
        "description",
    ]
    for name, header in expected.items():
        assert list(_read(name).columns) == header, name


def test_readme_labels_the_data_as_demonstration():
    text = (DEMO_DIR / "README.md").read_text(encoding="utf-8").lower()
    assert "demonstration" in text
    assert "fictional" in text or "illustrative" in text
    assert "python -m tools.make_demo" in text


def test_themes(themes):
    assert len(themes) == 18
    assert themes["theme_id"].is_unique
    assert themes["theme_id"].str.fullmatch(r"[a-z][a-z_]*").all()
    assert themes["color"].str.fullmatch(r"#[0-9a-f]{6}").all()
    assert themes["color"].is_unique
    for column in ("label_fr", "label_en"):
        assert (themes[column] != "").all()
    assert {"terrorism", "drugs", "cybercrime", "money_laundering"} <= set(themes["theme_id"])


def test_posts(posts, iso3):
    assert 74 <= len(posts) <= 78
    assert posts["post_id"].is_unique
    assert posts["post_id"].str.fullmatch(r"SSI-[A-Z0-9-]+").all()
    assert posts["country_iso3"].isin(iso3).all()
    lat = posts["lat"].astype(float)
    lon = posts["lon"].astype(float)
    assert lat.between(-90, 90).all() and lon.between(-180, 180).all()
    opened = pd.to_numeric(posts["opened"].replace("", None))
    assert opened.dropna().between(1960, 2015).all()
    staff = posts[STAFF].astype(int)
    assert (staff >= 0).all().all()
    total = int(staff.to_numpy().sum())
    assert 280 <= total <= 320
    assert 15 <= int(staff["staff_civil_security"].sum()) <= 20
    assert int(staff.loc[posts["post_id"] == "SSI-MADRID"].sum(axis=1).iloc[0]) == 17


def test_posts_named_in_the_public_facts_are_there(posts):
    facts = {
        "MLI": 1961,
        "ESP": None,
        "SRB": None,
        "IND": None,
        "SGP": 1992,
        "LVA": 1992,
        "ROU": None,
        "BEL": None,
        "ZAF": None,
        "HRV": None,
        "CAN": None,
        "DJI": None,
        "TUN": None,
        "CIV": 1962,
        "SEN": None,
        "TCD": None,
        "COM": 1986,
        "MDG": None,
        "LBN": 1996,
        "ALB": 1998,
        "GEO": 2002,
        "VNM": 1999,
        "CHN": None,
        "COL": 1990,
        "HTI": None,
        "MAR": None,
        "AUT": None,
        "RUS": None,
        "RWA": None,
        "VEN": None,
        "DZA": None,
        "PRT": None,
        "GRC": None,
        "MRT": None,
    }
    by_host = posts.set_index("country_iso3")
    for host, year in facts.items():
        assert host in by_host.index, host
        if year is not None:
            assert by_host.loc[host, "opened"] == str(year), host


def test_posts_sit_in_their_host_country(posts):
    shapes = load_countries().set_index("iso3").geometry
    from shapely.geometry import Point

    for row in posts.itertuples():
        where = Point(float(row.lon), float(row.lat))
        # Simplified coastlines can leave a seaside capital a little outside the polygon.
        assert shapes[row.country_iso3].distance(where) < 0.1, row.post_id


def test_coverage(coverage, posts, iso3):
    assert set(coverage["role"]) == {"resident", "regional"}
    assert coverage["post_id"].isin(posts["post_id"]).all()
    assert coverage["country_iso3"].isin(iso3).all()
    assert not coverage["country_iso3"].isin(NOT_COVERABLE | {"FRA"}).any()
    assert coverage["country_iso3"].is_unique  # a country is covered by at most one post
    assert coverage["country_iso3"].nunique() == 157
    resident = coverage[coverage["role"] == "resident"]
    hosts = posts.set_index("post_id")["country_iso3"]
    assert len(resident) == len(posts)
    assert (resident["country_iso3"].to_numpy() == hosts[resident["post_id"]].to_numpy()).all()


def test_regional_coverage_follows_the_public_facts(coverage):
    post_of = coverage.set_index("country_iso3")["post_id"]
    expected = {
        "AND": "SSI-MADRID",
        "MNE": "SSI-BELGRADE",
        "NPL": "SSI-NEW-DELHI",
        "LKA": "SSI-NEW-DELHI",
        "MDV": "SSI-NEW-DELHI",
        "BGD": "SSI-NEW-DELHI",
        "BRN": "SSI-SINGAPOUR",
        "MYS": "SSI-SINGAPOUR",
        "PHL": "SSI-SINGAPOUR",
        "EST": "SSI-RIGA",
        "LTU": "SSI-RIGA",
        "MDA": "SSI-BUCAREST",
        "NLD": "SSI-BRUXELLES",
        "LUX": "SSI-BRUXELLES",
        "NAM": "SSI-PRETORIA",
    }
    for country, post in expected.items():
        assert post_of[country] == post, country
    # small states covered regionally
    regional = set(coverage.loc[coverage["role"] == "regional", "country_iso3"])
    assert {"MLT", "VAT", "SMR", "SYC", "STP"} <= regional


def test_programmes_shape(programmes, coverage, posts, themes):
    assert 400 <= len(programmes) <= 600
    assert programmes["programme_id"].is_unique
    assert programmes["programme_id"].str.fullmatch(r"PRG-\d{4}").all()
    assert (programmes["title_fr"] != "").all() and (programmes["title_en"] != "").all()
    assert (programmes["description"] != "").all()
    assert (
        programmes["cooperation_type"]
        .isin(["technical", "operational", "institutional", "partnership"])
        .all()
    )
    covered = set(coverage["country_iso3"])
    countries = _long(programmes, "countries")
    assert countries["countries"].isin(covered).all()
    assert programmes["lead_post_id"].isin(posts["post_id"]).all()
    post_of = coverage.set_index("country_iso3")["post_id"]
    first = programmes["countries"].str.split("|").str[0]
    assert (programmes["lead_post_id"].to_numpy() == post_of[first].to_numpy()).all()
    theme_ids = set(themes["theme_id"])
    per_programme = programmes["themes"].str.split("|")
    assert per_programme.map(len).between(1, 5).all()
    assert _long(programmes, "themes")["themes"].isin(theme_ids).all()
    beneficiaries = _long(programmes, "beneficiaries")["beneficiaries"]
    assert beneficiaries.isin(
        ["police", "gendarmerie", "customs", "civil_security", "justice"]
    ).all()
    budget = pd.to_numeric(programmes["budget_eur"].replace("", None))
    assert budget.notna().mean() > 0.75
    assert (budget.dropna() >= 0).all()


def test_programme_status_is_consistent_with_dates(programmes):
    start = pd.to_datetime(programmes["start_date"], format="%Y-%m-%d")
    end = pd.to_datetime(programmes["end_date"], format="%Y-%m-%d")
    assert (end >= start).all()
    expected = pd.Series("active", index=programmes.index)
    expected[end < REFERENCE_DATE] = "completed"
    expected[start > REFERENCE_DATE] = "planned"
    assert (programmes["status"] == expected).all()
    counts = programmes["status"].value_counts()
    assert set(counts.index) == {"planned", "active", "completed"}
    assert counts.min() >= 40
    # generated programmes stay within 2018-2027; only the public named ones start earlier
    assert end.dt.year.max() <= 2027
    assert (start.dt.year >= 2018).mean() > 0.95


def test_the_demo_supports_the_documented_scenarios(programmes, coverage):
    long = _long(_long(programmes, "countries"), "themes")
    active_drugs = long[(long["themes"] == "drugs") & (long["status"] == "active")]
    assert active_drugs["countries"].nunique() >= 10
    mali = long[long["countries"] == "MLI"]
    assert mali["programme_id"].nunique() >= 5
    assert ((mali["themes"] == "drugs") & (mali["status"] == "active")).any()
    assert not long[long["countries"] == "MLT"].empty
    for name in (
        "GAR-SI",
        "EUCAP Sahel Mali",
        "SEACOP",
        "AIRCOP",
        "EL PAcCTO",
        "Euromed Police IV",
        "ALCORCA",
    ):
        assert programmes["title_fr"].str.contains(name, regex=False).any(), name
    alcorca = programmes[programmes["title_fr"].str.startswith("ALCORCA")].iloc[0]
    assert alcorca["budget_eur"] == "1000000"
    assert alcorca["status"] == "completed"


def test_generator_is_deterministic(tmp_path):
    make_demo.write(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DEMO_DIR / name).read_bytes(), name


def test_status_helper():
    assert make_demo.status_for(date(2020, 1, 1), date(2021, 1, 1)) == "completed"
    assert make_demo.status_for(date(2026, 11, 23), date(2026, 11, 23)) == "active"
    assert make_demo.status_for(date(2026, 11, 24), date(2027, 1, 1)) == "planned"


@pytest.mark.parametrize("today", [date(2026, 11, 23), date(2031, 6, 1), date(2019, 1, 1)])
def test_official_loader_accepts_the_demo(today):
    """The app's loader reads the demo with no error, no warning and the expected counts,
    whatever day it runs: the demo carries its own date."""
    from geodata import loading

    network = loading.load_network(DEMO_DIR, today=today)
    assert network.data_date == make_demo.REFERENCE_DATE
    assert len(network.posts) == 76
    assert network.coverage["country_iso3"].nunique() == 157
    assert len(network.programmes) == len(_read("programmes.csv"))
    assert len(network.themes) == 18
    assert int(network.posts["staff_total"].sum()) == 302
    assert network.is_demo
    assert not network.warnings


def test_regions_hold_the_continents_and_the_briefing_groupings():
    """The region filter offers the continents and the groupings briefings use; Mali is in
    Africa, the Sahel and West Africa; every region's countries exist in the geometries."""
    from geodata import loading
    from viewmodel.data import build_atlas_data

    data = build_atlas_data(loading.load_network(DEMO_DIR), load_countries())
    assert data.regions.ids[:7] == ("africa", "europe", "asia", "north_america",
                                    "south_america", "oceania", "antarctica")
    assert {"sahel", "west_africa", "maghreb_middle_east", "western_balkans",
            "caribbean"} <= set(data.regions.ids)
    assert data.regions.of("MLI") == ("africa", "sahel", "west_africa")
    assert data.regions.label("western_balkans", "fr") == "Balkans occidentaux"
    assert data.regions.countries("sahel") == {"MRT", "MLI", "BFA", "NER", "TCD"}
    known = set(load_countries()["iso3"])
    for region in data.regions.ids:
        assert data.regions.countries(region) <= known, region
    assert "KOS" in data.regions.countries("western_balkans")
    assert len(data.regions.countries("caribbean")) == 13


def test_readme_counts_match_the_files(posts, coverage, programmes):
    text = (DEMO_DIR / "README.md").read_text(encoding="utf-8")
    staff = int(posts[STAFF].astype(int).to_numpy().sum())
    counts = programmes["status"].value_counts()
    assert f"| `posts.csv` | {len(posts)} |" in text
    assert f"{staff} staff in all" in text
    assert f"| `coverage.csv` | {coverage['country_iso3'].nunique()} |" in text
    assert f"| `programmes.csv` | {len(programmes)} |" in text
    assert (
        f"{counts['completed']} completed, {counts['active']} active, {counts['planned']} planned"
    ) in text
