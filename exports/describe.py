"""Words for an export: the default title, the active filters, the data date, the file name.

Every text comes from the :mod:`geodata.i18n` catalogue in the view's language.
"""

from __future__ import annotations

import unicodedata

from exports.trace import trace_line
from geodata.i18n import format_day, t
from geodata.network import localised_column
from viewmodel.asof import shown_day
from viewmodel.changes import period_title, period_view
from viewmodel.data import AtlasData
from viewmodel.filters import FILTERS, chosen_values, filter_spec
from viewmodel.urlstate import ViewState

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


def default_title(data: AtlasData, view: ViewState) -> str:
    """A title naming what the map shows, e.g. "Programmes — Trafic de stupéfiants — en cours":
    in programmes mode every filter declared ``in_title``, then (in both modes) the regions."""
    lang = view.lang
    chosen = chosen_values(view.filters)
    if view.mode == "changes":
        parts = [period_title(data, view)]
    elif view.mode != "programmes":
        parts = [t("legend.title.coverage", lang)]
    else:
        parts = [t("export.title.budget" if view.metric == "budget" else "filters.mode.programmes",
                   lang)]
        parts += [spec.title_words(data, chosen[spec.key], lang) for spec in FILTERS
                  if spec.in_title]
    parts.append(filter_spec("regions").title_words(data, chosen["regions"], lang))
    return " — ".join(part for part in parts if part)


def filter_lines(data: AtlasData, view: ViewState) -> list[str]:
    """The view in words, one "Label : values" item per active filter (display, mode first)."""
    lang = view.lang
    colon = " : " if lang == "fr" else ": "
    mode = t(f"filters.mode.{view.mode}", lang)
    if view.mode == "programmes":
        mode += f" ({t(f'filters.metric.{view.metric}', lang).lower()})"
    items = [f"{t('filters.mode', lang)}{colon}{mode}"]
    chosen = chosen_values((period_view(view) if view.mode == "changes" else view).filters)
    for spec in FILTERS:
        words = spec.words(data, chosen[spec.key], lang)
        if words:
            items.append(f"{t(spec.label, lang)}{colon}{', '.join(words)}")
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


def as_of_day(data: AtlasData):
    """The date ``data`` is dated on (:func:`viewmodel.asof.dated`) when it is not the data's
    own date, else None."""
    return data.as_of if data.as_of and data.as_of != data.network.data_date else None


def data_date_text(data: AtlasData, lang: str) -> str:
    """"Données au 15 mars 2026" (empty when the data has no date), preceded by "Situation au
    30 juin 2022 · " when the export shows another date."""
    day = data.network.data_date
    parts = []
    if as_of_day(data):
        parts.append(t("asof.on", lang).format(date=format_day(as_of_day(data), lang)))
    if day:
        parts.append(t("export.data_date", lang).format(date=format_day(day, lang)))
    return " · ".join(parts)


def footer_text(data: AtlasData, lang: str, *, trace: bool = True) -> str:
    """Data date and source on one line, then (``trace``) who exported the page and when
    (when the export is traced: :mod:`exports.trace`)."""
    return " · ".join(part for part in (data_date_text(data, lang), t("source", lang),
                                        trace_line(data, lang) if trace else "") if part)


MAX_STEM_WORDS_LENGTH = 60


def slug(text: str, limit: int = MAX_STEM_WORDS_LENGTH) -> str:
    """``text`` as lower-case ASCII words joined by hyphens, cut at a word under ``limit``
    characters: "Sahel — Stupéfiants" -> ``sahel-stupefiants``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = "".join(c.lower() if c.isalnum() else " " for c in ascii_text).split()
    kept: list[str] = []
    for word in words:
        if kept and len("-".join([*kept, word])) > limit:
            break
        kept.append(word[:limit])
    return "-".join(kept)


def title_file_stem(data: AtlasData, title: str, view: ViewState | None = None) -> str:
    """A safe file name without extension from a title and the data's own date:
    ``sahel-stupefiants-2026-11-23`` (``atlas`` when the title has no letter or digit), with
    ``-au-2022-06-30`` (``-asof-`` in English) when the view shows another date than the
    data's."""
    day = data.network.data_date
    shown = (shown_day(data, view) or as_of_day(data)) if view is not None else as_of_day(data)
    asof = [t("asof.file", view.lang if view else "fr"), shown.isoformat()] if shown else []
    return "-".join([slug(clean_text(title)) or "atlas", *([day.isoformat()] if day else []),
                     *asof])


def file_stem(data: AtlasData, view: ViewState, title: str | None = None) -> str:
    """A safe file name without extension from the export's title (default: the view's) and
    the data's date: ``programmes-trafic-de-stupefiants-en-cours-2026-11-23``."""
    return title_file_stem(data, clean_text(title) or default_title(data, view), view)
