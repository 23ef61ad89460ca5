"""What changed between two versions of the network: programmes added, removed or changed
(field by field), coverage gained, lost or moved to another post, posts opened or closed, and
the change of the total budget. Pure: two :class:`Network` objects in, plain data out.

:func:`network_diff` gives the JSON-ready form (``atlas data diff --json``) and
:func:`changelog` the text a director reads, in French or English (catalogue ``diff.*``).
A country's coverage and posts are said in the words of the map's changes panel
(:func:`country_line`, :func:`coverage_words`, :func:`post_words`, catalogue ``changes.*``),
which :mod:`viewmodel.changes` uses too: the command line and the screen cannot drift apart.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from geodata.i18n import count_text, describe, format_day, format_money, t
from geodata.network import Network

#: The programmes columns compared, in the order a change lists them. The recorded ``status``
#: is not: the dates decide a programme's status (:mod:`geodata.asof`), and a status that
#: merely follows the calendar from one version to the next is no change.
COMPARED = ("title_fr", "title_en", "countries", "lead_post_id", "themes", "cooperation_type",
            "start_date", "end_date", "budget_eur", "partners", "beneficiaries", "description")
DATE_COLUMNS = ("start_date", "end_date")


def _plain(value: object) -> object:
    """A cell as JSON: dates as ISO text, tuples as lists, missing as None."""
    if isinstance(value, tuple | list):
        return list(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _programme(row) -> dict:
    return {"id": row["programme_id"], "title_fr": row["title_fr"],
            "title_en": row["title_en"] or row["title_fr"],
            "countries": list(row["countries"]), "budget_eur": _plain(row["budget_eur"])}


def _post(row) -> dict:
    return {"id": row["post_id"], "city": row["city"], "city_en": row["city_en"],
            "country": row["country_iso3"]}


def _total_budget(network: Network) -> float:
    return float(network.programmes["budget_eur"].fillna(0.0).sum())


def network_diff(old: Network, new: Network) -> dict:
    """The changes from ``old`` to ``new``::

        {"programmes": {"added": [...], "removed": [...], "changed": [{"id", "fields":
         {column: {"old", "new"}}}]}, "coverage": {"gained": [{"country", "post"}], "lost":
         [{"country", "post"}], "moved": [{"country", "old_post", "new_post"}]},
         "posts": {"opened": [...], "closed": [...]}, "budget_delta_eur": float}

    Lists are sorted by id (countries by iso3)."""
    before = old.programmes.set_index("programme_id", drop=False)
    after = new.programmes.set_index("programme_id", drop=False)
    added = sorted(set(after.index) - set(before.index))
    removed = sorted(set(before.index) - set(after.index))
    changed = []
    for programme_id in sorted(set(before.index) & set(after.index)):
        fields = {}
        for column in COMPARED:
            was, now = _plain(before.at[programme_id, column]), _plain(after.at[programme_id,
                                                                                column])
            if was != now:
                fields[column] = {"old": was, "new": now}
        if fields:
            changed.append({"id": programme_id, "fields": fields})
    old_cover = old.coverage.set_index("country_iso3")["post_id"].to_dict()
    new_cover = new.coverage.set_index("country_iso3")["post_id"].to_dict()
    old_posts = old.posts.set_index("post_id", drop=False)
    new_posts = new.posts.set_index("post_id", drop=False)
    return {
        "programmes": {
            "added": [_programme(after.loc[i]) for i in added],
            "removed": [_programme(before.loc[i]) for i in removed],
            "changed": changed,
        },
        "coverage": {
            "gained": [{"country": c, "post": new_cover[c]}
                       for c in sorted(set(new_cover) - set(old_cover))],
            "lost": [{"country": c, "post": old_cover[c]}
                     for c in sorted(set(old_cover) - set(new_cover))],
            "moved": [{"country": c, "old_post": old_cover[c], "new_post": new_cover[c]}
                      for c in sorted(set(old_cover) & set(new_cover))
                      if old_cover[c] != new_cover[c]],
        },
        "posts": {
            "opened": [_post(new_posts.loc[i]) for i in sorted(set(new_posts.index)
                                                               - set(old_posts.index))],
            "closed": [_post(old_posts.loc[i]) for i in sorted(set(old_posts.index)
                                                               - set(new_posts.index))],
        },
        "budget_delta_eur": round(_total_budget(new) - _total_budget(old), 2),
    }


def is_empty(diff: dict) -> bool:
    """True when nothing changed."""
    return (not any(diff["programmes"].values()) and not any(diff["coverage"].values())
            and not any(diff["posts"].values()) and not diff["budget_delta_eur"])


# --- the words shared with the changes panel ----------------------------------------------------

def coverage_words(kind: str, lang: str, city: str, old: str = "") -> str:
    """A country's coverage change: ``kind`` gained ("now covered from Abuja"), lost ("no
    longer covered (was from Dakar)") or moved ("coverage now from Abuja (was Niamey)")."""
    return describe(f"changes.{kind}", lang, {"city": city, "old": old})


def post_words(kind: str, lang: str, city: str) -> str:
    """A post ``opened`` or ``closed`` in a country: "post opened in Abuja"."""
    return describe(f"changes.post_{kind}", lang, {"city": city})


def country_line(country: str, parts: list[str], lang: str) -> str:
    """"Niger : 2 programmes terminés, couverture désormais depuis Abuja" (French colon)."""
    colon = " : " if lang == "fr" else ": "
    return f"{country}{colon}{', '.join(parts)}"


# --- the changelog ------------------------------------------------------------------------------

def _value_text(column: str, value: object, lang: str, names) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if column in DATE_COLUMNS:
        return format_day(date.fromisoformat(value), lang)
    if column == "budget_eur":
        return format_money(float(value), lang)
    if column == "countries":
        return ", ".join(names(code, lang) for code in value)
    if column == "cooperation_type":
        return t(f"type.{value}", lang)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


#: At most so many countries named on a programme's line, then "and N more".
NAMED_COUNTRIES = 4


def _countries_text(codes: list[str], lang: str, names) -> str:
    named = ", ".join(names(code, lang) for code in codes[:NAMED_COUNTRIES])
    more = len(codes) - NAMED_COUNTRIES
    return named + (describe("diff.more", lang, {"n": more}) if more > 0 else "")


def _title(programme: dict, lang: str) -> str:
    return programme["title_en"] if lang == "en" else programme["title_fr"]


def _city(post: dict | None, post_id: str, lang: str) -> str:
    if post is None:
        return post_id
    return post["city_en"] if lang == "en" else post["city"]


def changelog(diff: dict, old: Network, new: Network, lang: str, *, old_label: str,
              new_label: str, names=None) -> str:
    """The changes as a text a director reads (one line per change, grouped by kind).
    ``names(iso3, lang)`` gives a country's name (default: the iso3 code)."""
    names = names or (lambda code, _lang: code)
    cities = {row["post_id"]: _post(row) for frame in (old.posts, new.posts)
              for _, row in frame.iterrows()}
    lines = [describe("diff.heading", lang, {"old": old_label, "new": new_label}), ""]
    programmes = diff["programmes"]
    if any(programmes.values()):
        lines.append(t("diff.section.programmes", lang))
        for key, mark in (("added", "+"), ("removed", "−")):
            for item in programmes[key]:
                where = _countries_text(item["countries"], lang, names)
                lines.append(f"  {mark} " + describe(f"diff.programme.{key}", lang, {
                    "id": item["id"], "title": _title(item, lang), "countries": where}))
        titles = new.programmes.set_index("programme_id")[
            "title_en" if lang == "en" else "title_fr"].to_dict()
        for item in programmes["changed"]:
            parts = [describe("diff.field_change", lang, {
                "field": t(f"diff.field.{column}", lang),
                "old": _value_text(column, change["old"], lang, names),
                "new": _value_text(column, change["new"], lang, names)})
                for column, change in item["fields"].items()]
            lines.append("  ~ " + describe("diff.programme.changed", lang, {
                "id": item["id"], "title": titles.get(item["id"]) or item["id"],
                "changes": "; ".join(parts)}))
        lines.append("")
    coverage = diff["coverage"]
    if any(coverage.values()):
        lines.append(t("diff.section.coverage", lang))
        for key, mark in (("gained", "+"), ("lost", "−")):
            for item in coverage[key]:
                lines.append(f"  {mark} " + country_line(names(item["country"], lang), [
                    coverage_words(key, lang, _city(cities.get(item["post"]), item["post"],
                                                    lang))], lang))
        for item in coverage["moved"]:
            lines.append("  → " + country_line(names(item["country"], lang), [coverage_words(
                "moved", lang, _city(cities.get(item["new_post"]), item["new_post"], lang),
                _city(cities.get(item["old_post"]), item["old_post"], lang))], lang))
        lines.append("")
    posts = diff["posts"]
    if any(posts.values()):
        lines.append(t("diff.section.posts", lang))
        for key, mark in (("opened", "+"), ("closed", "−")):
            for item in posts[key]:
                words = post_words(key, lang, _city(item, item["id"], lang))
                lines.append(f"  {mark} " + country_line(names(item["country"], lang),
                                                         [f"{words} ({item['id']})"], lang))
        lines.append("")
    delta = diff["budget_delta_eur"]
    sign = "+" if delta > 0 else "−" if delta < 0 else ""
    lines.append(describe("diff.budget", lang, {
        "delta": f"{sign}{format_money(abs(delta), lang)}",
        "added": count_text("diff.count.added", len(programmes["added"]), lang),
        "removed": count_text("diff.count.removed", len(programmes["removed"]), lang),
        "changed": count_text("diff.count.changed", len(programmes["changed"]), lang)}))
    if is_empty(diff):
        lines[1:] = ["", t("diff.none", lang)]
    return "\n".join(lines).rstrip() + "\n"
