"""Deterministic scaled copies of the demo data, for the benchmark.

``scaled_tables(10)`` keeps the demo's posts, coverage, themes and date (``meta``: a published
version always has one) and multiplies its programmes
by ten: the original rows first, then copies with new ids (``PRG-0001-S001``...) whose countries,
themes, type, budget, beneficiaries and (status, start, end) triple are perturbed with a fixed
seed. The triple is taken whole from another demo programme, so a copy's status agrees with its
dates exactly as much as the demo's does; every value stays valid for the validator.

    python -m benchmarks.synthetic 100 /tmp/atlas-100x   # writes posts.csv, coverage.csv...
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from geodata.loading import DEMO_DIR

SEED = 20261123
TABLE_NAMES = ("posts", "coverage", "programmes", "themes", "meta")
BENEFICIARY_CHOICES = ("police", "gendarmerie", "customs", "civil_security", "justice")
COOPERATION_TYPE_CHOICES = ("technical", "operational", "institutional", "partnership")


def read_table(name: str, folder: Path = DEMO_DIR) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (as text) of one demo CSV table."""
    with open(folder / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _perturbed(row: dict, copy: int, donor: dict, rng: random.Random, vocab: dict) -> dict:
    """A copy of programme ``row`` with a new id and shuffled, still valid, values."""
    clone = dict(row)
    clone["programme_id"] = f"{row['programme_id']}-S{copy:03d}"
    clone["title_fr"] = f"{row['title_fr']} (copie {copy})"
    if row.get("title_en"):
        clone["title_en"] = f"{row['title_en']} (copy {copy})"
    n_countries = len(row["countries"].split("|"))
    clone["countries"] = "|".join(rng.sample(vocab["countries"], n_countries))
    n_themes = min(len(vocab["themes"]), rng.randint(1, 3))
    clone["themes"] = "|".join(rng.sample(vocab["themes"], n_themes))
    clone["cooperation_type"] = rng.choice(COOPERATION_TYPE_CHOICES)
    for column in ("status", "start_date", "end_date"):
        clone[column] = donor[column]
    if row.get("budget_eur"):
        clone["budget_eur"] = str(round(float(row["budget_eur"]) * rng.uniform(0.5, 1.5)))
    beneficiaries = rng.sample(BENEFICIARY_CHOICES, rng.randint(0, 2))
    clone["beneficiaries"] = "|".join(beneficiaries)
    return clone


def scaled_tables(factor: int, seed: int = SEED) -> dict[str, tuple[list[str], list[dict]]]:
    """The four tables with the demo's programmes multiplied by ``factor`` (>= 1)."""
    if factor < 1:
        raise ValueError(f"factor must be at least 1, got {factor}")
    tables = {name: read_table(name) for name in TABLE_NAMES}
    header, programmes = tables["programmes"]
    vocab = {
        "countries": sorted({row["country_iso3"] for row in tables["coverage"][1]}),
        "themes": [row["theme_id"] for row in tables["themes"][1]],
    }
    rng = random.Random(seed)
    rows = list(programmes)
    for copy in range(1, factor):
        for row in programmes:
            rows.append(_perturbed(row, copy, rng.choice(programmes), rng, vocab))
    tables["programmes"] = (header, rows)
    return tables


def write_scaled(factor: int, folder: Path, seed: int = SEED) -> Path:
    """Write the scaled data set as a folder of plain UTF-8 CSV files; returns ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in scaled_tables(factor, seed).items():
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return folder


def main() -> None:
    """Command line: write one scaled data set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("factor", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    folder = write_scaled(args.factor, args.folder, args.seed)
    print(f"wrote {folder} ({args.factor}x the demo programmes)")


if __name__ == "__main__":
    main()
