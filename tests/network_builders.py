"""Tiny hand-built networks for unit tests (known answers, no files)."""

from __future__ import annotations

import pandas as pd

from geodata.network import Network


def tiny_network() -> Network:
    """Two posts (Dakar covers SEN + GMB; Bamako covers MLI), two themes, four programmes."""
    posts = pd.DataFrame(
        {
            "post_id": ["SSI-DAKAR", "SSI-BAMAKO"],
            "city": ["Dakar", "Bamako"],
            "city_en": ["Dakar", "Bamako"],
            "city_fr_of": ["", ""],
            "country_iso3": ["SEN", "MLI"],
            "lat": [14.69, 12.64],
            "lon": [-17.44, -8.0],
            "opened": pd.array([2013, 1961], dtype="Int64"),
            "staff_police": [3, 2],
            "staff_gendarmerie": [2, 1],
            "staff_civil_security": [1, 0],
            "head_title": ["Attaché de sécurité intérieure", ""],
            "head_title_en": ["Internal Security Attaché", ""],
        }
    )
    posts["staff_total"] = posts[["staff_police", "staff_gendarmerie", "staff_civil_security"]].sum(
        axis=1
    )
    coverage = pd.DataFrame(
        {
            "post_id": ["SSI-DAKAR", "SSI-DAKAR", "SSI-BAMAKO"],
            "country_iso3": ["SEN", "GMB", "MLI"],
            "role": ["resident", "regional", "resident"],
        }
    )
    themes = pd.DataFrame(
        {
            "theme_id": ["drugs", "terrorism"],
            "label_fr": ["Trafic de stupéfiants", "Terrorisme"],
            "label_en": ["Drug trafficking", "Counter-terrorism"],
            "color": ["#E69F00", "#0072B2"],
        }
    )
    programmes = pd.DataFrame(
        {
            "programme_id": ["P1", "P2", "P3", "P4"],
            "title_fr": ["Stups Sénégal", "Terrorisme Sahel", "Stups Mali", "Ancien"],
            "title_en": ["Drugs Senegal", "Sahel terrorism", "Drugs Mali", "Old"],
            "countries": [("SEN",), ("SEN", "MLI"), ("MLI",), ("GMB",)],
            "lead_post_id": ["SSI-DAKAR", "SSI-DAKAR", "SSI-BAMAKO", "SSI-DAKAR"],
            "themes": [("drugs",), ("terrorism",), ("drugs", "terrorism"), ("drugs",)],
            "cooperation_type": ["technical", "operational", "technical", "institutional"],
            "status": ["active", "active", "planned", "completed"],
            "start_date": pd.to_datetime(["2024-01-01", "2022-06-01", "2027-01-01", "2018-01-01"]),
            "end_date": pd.to_datetime(["2027-12-31", "2026-12-31", "2027-12-31", "2019-12-31"]),
            "budget_eur": [100_000.0, 300_000.0, float("nan"), 50_000.0],
            "partners": [("EU",), (), (), ("UNODC",)],
            "beneficiaries": [("police",), ("gendarmerie", "police"), ("customs",), ()],
            "description": ["", "", "", ""],
            "description_en": ["", "", "", ""],
        }
    )
    return Network(posts=posts, coverage=coverage, programmes=programmes, themes=themes,
                   source="tiny", is_demo=False)


def dated_network():
    """The tiny network with a date of its own (2025-06-30) and programmes set on the
    as-of boundaries; a third post, Niamey, opened in 2024 (covering NER).

    ============  ==========  ==========  ==========
    programme     start       end         recorded
    ============  ==========  ==========  ==========
    P1 SEN        2024-01-01  2027-12-31  active
    P2 SEN+MLI    2022-06-01  2026-12-31  active
    P3 MLI        2027-01-01  2027-12-31  planned
    P4 GMB        2018-01-01  2019-12-31  completed
    P5 NER        2023-03-01  (none)      active     runs from its start onward
    P6 MLI        2025-01-01  2025-06-30  active     ends on the data's date
    ============  ==========  ==========  ==========
    """
    from datetime import date

    base = tiny_network()
    posts = pd.concat([base.posts, pd.DataFrame({
        "post_id": ["SSI-NIAMEY"], "city": ["Niamey"], "city_en": ["Niamey"],
        "city_fr_of": [""], "country_iso3": ["NER"], "lat": [13.51], "lon": [2.11],
        "opened": pd.array([2024], dtype="Int64"), "staff_police": [1],
        "staff_gendarmerie": [1], "staff_civil_security": [0], "head_title": [""],
        "head_title_en": [""], "staff_total": [2]})], ignore_index=True)
    posts["opened"] = posts["opened"].astype("Int64")
    coverage = pd.concat([base.coverage, pd.DataFrame({
        "post_id": ["SSI-NIAMEY"], "country_iso3": ["NER"], "role": ["resident"]})],
        ignore_index=True)
    extra = pd.DataFrame({
        "programme_id": ["P5", "P6"],
        "title_fr": ["Frontières Niger", "Court Mali"],
        "title_en": ["Niger borders", "Short Mali"],
        "countries": [("NER",), ("MLI",)],
        "lead_post_id": ["SSI-NIAMEY", "SSI-BAMAKO"],
        "themes": [("terrorism",), ("drugs",)],
        "cooperation_type": ["operational", "technical"],
        "status": ["active", "active"],
        "start_date": pd.to_datetime(["2023-03-01", "2025-01-01"]),
        "end_date": pd.to_datetime([None, "2025-06-30"]),
        "budget_eur": [40_000.0, 10_000.0],
        "partners": [(), ()],
        "beneficiaries": [("police",), ()],
        "description": ["", ""],
        "description_en": ["", ""],
    })
    programmes = pd.concat([base.programmes, extra], ignore_index=True)
    return Network(posts=posts, coverage=coverage, programmes=programmes, themes=base.themes,
                   source="dated", is_demo=False, data_date=date(2025, 6, 30))


def newer_network() -> Network:
    """The dated network some months later: Niamey closed and Abuja opened (covering NGA and,
    now, NER); Gambia no longer covered; P4 removed, P7 added in Nigeria; P1's budget and end
    date changed."""
    old = dated_network()
    posts = old.posts[old.posts["post_id"] != "SSI-NIAMEY"]
    abuja = old.posts[old.posts["post_id"] == "SSI-NIAMEY"].assign(
        post_id="SSI-ABUJA", city="Abuja", city_en="Abuja", country_iso3="NGA")
    posts = pd.concat([posts, abuja], ignore_index=True)
    coverage = pd.DataFrame({
        "post_id": ["SSI-DAKAR", "SSI-BAMAKO", "SSI-ABUJA", "SSI-ABUJA"],
        "country_iso3": ["SEN", "MLI", "NGA", "NER"],
        "role": ["resident", "resident", "resident", "regional"]})
    programmes = old.programmes[old.programmes["programme_id"] != "P4"].copy()
    first = programmes.index[programmes["programme_id"] == "P1"][0]
    programmes.at[first, "budget_eur"] = 120_000.0
    programmes.at[first, "end_date"] = pd.Timestamp("2028-06-30")
    added = programmes.iloc[[0]].assign(
        programme_id="P7", title_fr="Ports Nigeria", title_en="Nigeria ports",
        countries=[("NGA",)], lead_post_id="SSI-ABUJA", budget_eur=25_000.0)
    programmes = pd.concat([programmes, added], ignore_index=True)
    return Network(posts=posts, coverage=coverage, programmes=programmes, themes=old.themes,
                   data_date=pd.Timestamp("2025-10-31").date())
