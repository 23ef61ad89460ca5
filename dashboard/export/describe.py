"""Words for an export: the default title, the active filters, the data date, the file name.

Every text comes from the :mod:`geodata.i18n` catalogue in the view's language.
"""

from __future__ import annotations

import unicodedata

from dashboard.data import AtlasData
from dashboard.urlstate import ViewState
from geodata.i18n import format_day, t
from geodata.network import localised_column
from geodata.regions import region_label

MAX_THEMES_IN_TITLE = 3
MAX_TEXT_LENGTH = 300
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(text: str | None) -> str:
    """A user's title or marking made safe to print: control characters dropped, whitespace
    collapsed, at most :data:`MAX_TEXT_LENGTH` characters. Everything else is kept literally."""
    if not text:
        return ""
    printable = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
                        for c in str(text))
    printable = "".join(c for c in printable
                        if unicodedata.category(c) not in ("Cs", "Co") and c not in _BIDI_CONTROLS)
    return " ".join(printable.split())[:MAX_TEXT_LENGTH]


def theme_labels(data: AtlasData, theme_ids, lang: str) -> list[str]:
    """The themes' labels in ``lang``, in the order given (unknown ids kept as they are)."""
    column = "label_en" if lang == "en" else "label_fr"
    labels = data.network.themes.set_index("theme_id")[column]
    return [str(labels.get(theme_id, theme_id)) for theme_id in theme_ids]


def default_title(data: AtlasData, view: ViewState) -> str:
    """A title naming what the map shows, e.g. "Programmes — Trafic de stupéfiants — en cours"."""
    lang, f = view.lang, view.filters
    if view.mode != "programmes":
        parts = [t("legend.title.coverage", lang)]
    else:
        head = t("export.title.budget" if view.metric == "budget" else "filters.mode.programmes",
                 lang)
        parts = [head]
        if f.themes:
            labels = theme_labels(data, f.themes, lang)
            parts.append(", ".join(labels) if len(labels) <= MAX_THEMES_IN_TITLE
                         else t("export.title.n_themes", lang).format(n=len(labels)))
        if f.types:
            parts.append(", ".join(t(f"type.{v}", lang).lower() for v in f.types))
        if f.statuses:
            parts.append(", ".join(t(f"status.{v}", lang).lower() for v in f.statuses))
        if f.years:
            parts.append(years_text(f.years))
    if f.regions:
        parts.append(", ".join(region_label(r, lang) for r in f.regions))
    return " — ".join(parts)


def years_text(years: tuple[int, int]) -> str:
    """2020–2026, or 2024 for a single year."""
    first, last = years
    return str(first) if first == last else f"{first}–{last}"


def filter_lines(data: AtlasData, view: ViewState) -> list[str]:
    """The view in words, one "Label : values" item per active filter (display, mode first)."""
    lang, f = view.lang, view.filters
    colon = " : " if lang == "fr" else ": "
    mode = t(f"filters.mode.{view.mode}", lang)
    if view.mode == "programmes":
        mode += f" ({t(f'filters.metric.{view.metric}', lang).lower()})"
    items = [f"{t('filters.mode', lang)}{colon}{mode}"]
    chosen = (
        ("filters.themes", theme_labels(data, f.themes, lang)),
        ("filters.types", [t(f"type.{v}", lang) for v in f.types]),
        ("filters.status", [t(f"status.{v}", lang) for v in f.statuses]),
        ("filters.regions", [region_label(r, lang) for r in f.regions]),
        ("filters.years", [years_text(f.years)] if f.years else []),
        ("filters.beneficiaries", [t(f"beneficiary.{v}", lang) for v in f.beneficiaries]),
    )
    for key, values in chosen:
        if values:
            items.append(f"{t(key, lang)}{colon}{', '.join(values)}")
    if view.country:
        items.append(f"{t('export.filters.country', lang)}{colon}{data.name(view.country, lang)}")
    post = getattr(view, "post", None)
    if post:
        cities = data.network.posts.set_index("post_id")[localised_column("city", lang)]
        city = f" ({cities[post]})" if post in cities.index else ""
        items.append(f"{t('export.filters.post', lang)}{colon}{post}{city}")
    return items


def filters_text(data: AtlasData, view: ViewState) -> str:
    """The active filters on one line, separated by middle dots."""
    return " · ".join(filter_lines(data, view))


def data_date_text(data: AtlasData, lang: str) -> str:
    """"Données au 15 mars 2026" (empty when the data has no date)."""
    day = data.network.data_date
    return t("export.data_date", lang).format(date=format_day(day, lang)) if day else ""


def footer_text(data: AtlasData, lang: str) -> str:
    """Data date and source on one line."""
    return " · ".join(part for part in (data_date_text(data, lang), t("source", lang)) if part)


def file_stem(data: AtlasData, view: ViewState) -> str:
    """A safe file name without extension: ``atlas-programmes-2026-03-15``."""
    day = data.network.data_date
    return "-".join(["atlas", view.mode, *([day.isoformat()] if day else [])])
