"""The programmes matching the current filters as a table, and its CSV and Excel encodings
(the ``csv`` and ``xlsx`` formats of :mod:`exports.formats` write them).

CSV dialect, chosen so that a double-click opens it cleanly in Excel set to French: UTF-8 with a
byte-order mark (Excel then reads accents right), ``;`` between fields, CRLF line ends, decimal
comma in French (decimal point in English), dates as ISO ``YYYY-MM-DD``. The Excel workbook
(.xlsx) has typed cells (real dates and numbers), a frozen header with filters, and an
information sheet (filters, data date, sources, marking).

Every text cell that a spreadsheet could read as a formula (first character ``=``, ``+``, ``-``,
``@``, tab or carriage return) is prefixed with an apostrophe, in both formats.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exports import describe
from exports.trace import DEFAULT_AUTHOR, trace_line
from geodata.filters import programme_mask
from geodata.i18n import lang_or_default, t
from geodata.network import localised_column
from viewmodel.data import AtlasData
from viewmodel.urlstate import ViewState

COLUMNS = ("programme_id", "title", "countries", "country_codes", "lead_post", "themes", "type",
           "status", "start", "end", "budget", "partners", "beneficiaries", "description")
DATE_COLUMNS = ("start", "end")
NUMBER_COLUMNS = ("budget",)
CSV_SEPARATOR = ";"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FILL = "DDE8EF"
_MAX_COLUMN_WIDTH = 60


def neutralise(value):
    """``value`` with an apostrophe in front when it is text a spreadsheet would run as a
    formula (``=``, ``+``, ``-``, ``@``, tab, CR first); other values unchanged.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("Dakar"), neutralise(-3)
    ('\\'=HYPERLINK("http://x")', 'Dakar', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def header(column: str, lang: str) -> str:
    """The translated header label of a :data:`COLUMNS` key."""
    return t(f"table.{column}", lang)


def _iso(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def programmes_table(data: AtlasData, view: ViewState, lang: str | None = None,
                     country: str | None = None) -> pd.DataFrame:
    """The programmes matching ``view``'s filters (and involving ``country`` when given), one
    row each, with readable values and translated headers (see :func:`header`), sorted by id.

    Lists (countries, themes, partners, beneficiaries) are joined with ", "; dates are ISO
    strings ("" when absent); the budget is a number (NaN when absent).
    """
    lang = lang_or_default(lang or view.lang)
    network = data.network
    programmes = network.programmes[programme_mask(data.filter_index, view.filters,
                                                   data.regions)]
    if country:
        programmes = programmes[programmes["countries"].map(lambda codes: country in codes)]
    programmes = programmes.sort_values("programme_id", kind="stable")
    themes = network.themes.set_index("theme_id")["label_en" if lang == "en" else "label_fr"]
    cities = network.posts.set_index("post_id")[localised_column("city", lang)]

    def lead(post_id: str) -> str:
        return f"{post_id} ({cities[post_id]})" if post_id in cities.index else post_id

    titles, descriptions = programmes["title_fr"], programmes["description"]
    if lang == "en":
        titles = programmes["title_en"].where(programmes["title_en"] != "", programmes["title_fr"])
        descriptions = programmes["description_en"].where(programmes["description_en"] != "",
                                                          descriptions)
    rows = {
        "programme_id": programmes["programme_id"],
        "title": titles,
        "countries": programmes["countries"].map(
            lambda codes: ", ".join(data.name(code, lang) for code in codes)),
        "country_codes": programmes["countries"].map(", ".join),
        "lead_post": programmes["lead_post_id"].map(lead),
        "themes": programmes["themes"].map(
            lambda ids: ", ".join(str(themes.get(i, i)) for i in ids)),
        "type": programmes["cooperation_type"].map(lambda v: t(f"type.{v}", lang)),
        "status": programmes["status"].map(lambda v: t(f"status.{v}", lang)),
        "start": programmes["start_date"].map(_iso),
        "end": programmes["end_date"].map(_iso),
        "budget": programmes["budget_eur"].astype(float),
        "partners": programmes["partners"].map(", ".join),
        "beneficiaries": programmes["beneficiaries"].map(
            lambda values: ", ".join(t(f"beneficiary.{v}", lang) for v in values)),
        "description": descriptions,
    }
    frame = pd.DataFrame({header(key, lang): list(rows[key]) for key in COLUMNS})
    return frame.reset_index(drop=True)


def _number_text(value, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    text = str(int(value)) if value.is_integer() else f"{value:.2f}"
    return text.replace(".", ",") if lang == "fr" else text


def to_csv_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    """``frame`` as CSV for Excel (see the module docstring for the dialect)."""
    numeric = {header(key, lang) for key in NUMBER_COLUMNS}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([
            _number_text(value, lang) if column in numeric
            else neutralise("" if value is None or (isinstance(value, float) and math.isnan(value))
                            else str(value))
            for column, value in zip(frame.columns, row, strict=True)
        ])
    return buffer.getvalue().encode("utf-8-sig")


def _cell_text(value: str) -> str:
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


def to_xlsx_bytes(frame: pd.DataFrame, lang: str,
                  about: Iterable[tuple[str, str]] = (), author: str = DEFAULT_AUTHOR) -> bytes:
    """``frame`` as an Excel workbook: the table on the first sheet (typed dates and numbers,
    bold frozen header, filters), the ``about`` label/value pairs on a second sheet."""
    dates = {header(key, lang) for key in DATE_COLUMNS}
    numbers = {header(key, lang) for key in NUMBER_COLUMNS}
    workbook = Workbook()
    workbook.properties.creator = author
    workbook.properties.lastModifiedBy = author
    sheet = workbook.active
    sheet.title = t("table.sheet", lang)
    sheet.append([_cell_text(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            if column in dates:
                cells.append(date.fromisoformat(value) if value else None)
            elif column in numbers:
                cells.append(None if pd.isna(value) else float(value))
            else:
                cells.append(_cell_text("" if pd.isna(value) else str(value)) or None)
        sheet.append(cells)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center")
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        values = [str(column), *("" if pd.isna(v) else str(v) for v in frame[column])]
        sheet.column_dimensions[letter].width = min(
            _MAX_COLUMN_WIDTH, max(10, *(len(v) for v in values)) + 2)
        if column in dates:
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
        elif column in numbers:
            for cell in sheet[letter][1:]:
                cell.number_format = "#,##0"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    info = workbook.create_sheet(t("table.about_sheet", lang))
    for label, value in about:
        info.append([_cell_text(label), _cell_text(value)])
    for cell in info["A"]:
        cell.font = bold
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def about_rows(data: AtlasData, view: ViewState, count: int, marking: str = "") -> list:
    """Label/value pairs describing an export: filters, count, data date, sources, marking."""
    lang = view.lang
    rows = [(t("table.about.filters", lang), item) for item in describe.filter_lines(data, view)]
    rows.append((t("table.about.count", lang), str(count)))
    if data.network.data_date:
        rows.append((t("table.about.date", lang), data.network.data_date.isoformat()))
    rows.append((t("table.about.source", lang), t("source", lang)))
    if data.network.is_demo:
        rows.append(("", t("app.demo_banner", lang)))
    if marking:
        rows.append((t("table.about.marking", lang), describe.clean_text(marking)))
    if trace_line(data, lang):
        rows.append((t("table.about.exported_by", lang), trace_line(data, lang)))
    return rows

