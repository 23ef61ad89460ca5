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
        }
    )
    return Network(posts=posts, coverage=coverage, programmes=programmes, themes=themes,
                   source="tiny", is_demo=False)
