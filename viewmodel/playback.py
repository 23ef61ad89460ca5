"""Playback: the as-of date stepped over the data's years, as frames computed once and sent to
the browser in one piece (the page then steps through them itself, no round trip per frame).

A frame is the map on one day (:mod:`viewmodel.asof`): every country's class, the KPI
texts, the posts not open yet, the date in words. The programmes classes are computed once
over every frame's values (:func:`layers.classes.classify`), so a colour means the same count
or budget all along the playback and one legend serves every frame. Each frame also carries
the year's budget: every matching programme's budget spread evenly over its calendar years
(:func:`yearly_budget`), to answer "how has the effort grown".

Steps: ``month``, ``quarter`` or ``year``; a frame is the last day of its period, from the
first programme year to the last (:attr:`AtlasData.year_bounds`), at most :data:`MAX_FRAMES`.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from geodata.asof import open_posts, statuses_on
from geodata.filters import country_totals, programme_mask
from geodata.i18n import describe, format_day, format_money, format_month, format_number, t
from geodata.network import HOME_COUNTRY
from layers import coverage, palette, programmes
from layers.classes import classify
from layers.countries import filter_words
from viewmodel.changes import period_view
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState

STEPS = ("month", "quarter", "year")
MAX_FRAMES = 240
#: Milliseconds a frame stays on screen (5 frames a second: the issue asks at least 4, and a
#: painted rate of 4 or more shows that no frame is dropped; ``benchmarks/run.py`` measures it).
FRAME_MS = 200


def _period_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def frame_days(first_year: int, last_year: int, step: str) -> list[date]:
    """The last day of every month, quarter or year from ``first_year`` to ``last_year``."""
    months = {"month": range(1, 13), "quarter": (3, 6, 9, 12), "year": (12,)}[
        step if step in STEPS else "year"]
    days = [_period_end(year, month) for year in range(first_year, last_year + 1)
            for month in months]
    return days[-MAX_FRAMES:]


def day_text(day: date, step: str, lang: str) -> str:
    """The frame's date as the map shows it: "2019", "T2 2019" / "Q2 2019", "juin 2019"."""
    if step == "year":
        return str(day.year)
    if step == "quarter":
        return describe("playback.quarter", lang, {"q": (day.month - 1) // 3 + 1,
                                                   "year": day.year})
    text = format_month(day, lang)
    return text[:1].upper() + text[1:]


def yearly_budget(programmes_frame: pd.DataFrame, mask: np.ndarray, year: int) -> float:
    """The budget of ``year``: each matching programme running that year contributes its
    budget divided by the number of calendar years it runs (start to end years, both
    included; no end date: its start year to ``year``)."""
    start = programmes_frame["start_date"].dt.year.to_numpy(dtype=float)
    end = programmes_frame["end_date"].dt.year.to_numpy(dtype=float, na_value=np.nan)
    end = np.where(np.isnan(end), np.maximum(start, year), end)
    budget = programmes_frame["budget_eur"].fillna(0.0).to_numpy(dtype=float)
    running = mask & (start <= year) & (end >= year)
    return float((budget[running] / (end[running] - start[running] + 1)).sum())


def playback_frames(data: AtlasData, view: ViewState, step: str) -> dict:
    """Every frame of the playback for ``view`` (coverage or programmes mode), JSON-ready:
    ``frames`` (``day``, ``label``, ``classes``, ``kpis``, ``hidden``, ``budget_year``),
    ``fill_colors`` and the classes' ``lows``/``highs`` shared by all, the ``legend`` title."""
    step = step if step in STEPS else "year"
    lang = view.lang
    network, index = data.network, data.filter_index
    programmes_frame = network.programmes
    chosen_status = view.filters.get("status")
    others = programme_mask(index, period_view(view).filters, data.regions)
    state = view.filters
    first, last = data.year_bounds
    days = frame_days(first, last, step)
    posts = network.posts
    rows = []
    for day in days:
        status = statuses_on(programmes_frame, day).to_numpy()
        mask = others & (np.isin(status, list(chosen_status)) if chosen_status
                         else np.ones(len(status), dtype=bool))
        counts, budgets = country_totals(index, state, data.regions, mask=mask)
        is_open = open_posts(posts, day).to_numpy()
        rows.append((day, mask, counts, budgets, is_open))
    metric = view.metric if view.metric in ("count", "budget") else "count"
    if view.mode == "programmes":
        everything = [value for _, _, counts, budgets, _ in rows
                      for value in (budgets if metric == "budget" else counts).values()]
        classes = classify(everything)
        style = {"lows": list(classes.lows), "highs": list(classes.highs),
                 "colors": palette.class_colors(len(classes)), "none_color": palette.NONE}
        fill_colors = list(style["colors"])
    else:
        style = {}
        fill_colors = coverage.class_colors()
    fill_colors = [*fill_colors, palette.HOME]
    home = len(fill_colors) - 1
    outside = {}  # a scoped user's world outside their scope, as the map draws it
    if data.scope is not None:
        fill_colors.append(palette.OUT_OF_SCOPE)
        outside = {iso3: len(fill_colors) - 1 for iso3 in data.names if iso3 not in data.scope}
    frames = []
    staff = posts["staff_total"].to_numpy()
    coverage_rows = network.coverage
    for day, mask, counts, budgets, is_open in rows:
        open_ids = set(posts["post_id"][is_open])
        if view.mode == "programmes":
            values = budgets if metric == "budget" else counts
            country_classes = programmes.country_classes(values, style)
        else:
            kept = coverage_rows[coverage_rows["post_id"].isin(open_ids)]
            states = dict(zip(kept["country_iso3"],
                              kept["role"].map({"resident": "host", "regional": "regional"}),
                              strict=True))
            country_classes = coverage.country_classes(states)
        country_classes[HOME_COUNTRY] = home
        country_classes.update(outside)
        covered = coverage_rows[coverage_rows["post_id"].isin(open_ids)]["country_iso3"]
        frames.append({
            "day": day.isoformat(),
            "label": day_text(day, step, lang),
            "date_text": t("asof.on", lang).format(date=format_day(day, lang)),
            "classes": country_classes,
            "values": {k: round(v) for k, v in (budgets if metric == "budget"
                                                 else counts).items()},
            "kpis": [format_number(int(is_open.sum()), lang),
                     format_number(int(staff[is_open].sum()), lang),
                     format_number(int(covered.nunique()), lang),
                     format_number(int(mask.sum()), lang),
                     format_money(float(np.nansum(
                         programmes_frame["budget_eur"].to_numpy(dtype=float)[mask])), lang)],
            "hidden": sorted(set(posts["post_id"]) - open_ids),
            "budget_year": describe("playback.budget_year", lang, {
                "year": day.year,
                # every programme running that year, whatever its status at the frame's day
                "budget": format_money(yearly_budget(programmes_frame, others, day.year),
                                       lang)}),
        })
    title = (programmes.legend_title(metric, lang, filter_words(data, view))
             if view.mode == "programmes" else t("legend.title.coverage", lang))
    return {"step": step, "frame_ms": FRAME_MS, "frames": frames, "fill_colors": fill_colors,
            **style, "legend_title": title, "mode": view.mode,
            # the classes' colours come first in fill_colors, then home (and out of scope)
            "class_count": home, "scoped": data.scope is not None,
            "home_shown": data.scope is None or HOME_COUNTRY in data.scope}
