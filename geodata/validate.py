"""Validation of the network tables: every problem at once, located by file, row and column.

Each table goes through three stages:

1. *format* (pandera, on the cleaned text): required columns and values, unique ids, the
   shape of numbers, whole numbers, years, ISO dates and hex colours;
2. *values* (pandera, on the typed frame): ranges and enumerations;
3. *rules* (vectorised pandas, across tables): references between tables and to the country
   geometries (with "did you mean" hints), coverage rules, date order, the data's own date
   (``meta``), and the status-versus-dates consistency, which is only a warning and is
   checked on the data's date, never on the day the check runs.

Rows keep the spreadsheet row number as index throughout, so a pandera failure case or a rule
violation translates directly into a :class:`Problem` the analyst can find.
"""

from __future__ import annotations

import difflib
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd
import pandera.pandas as pa

from geodata.i18n import has_text
from geodata.network import (
    BENEFICIARIES,
    COOPERATION_TYPES,
    META_KEYS,
    OPTIONAL_TABLES,
    ROLES,
    STATUSES,
    TABLES,
    Problem,
)
from geodata.rawtables import RawTable

LIST_SEPARATOR = "|"
WARNING = "warning"
WRITTEN = object()  # default Problem value: the cell as written
NUMBER_PATTERN = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"


@dataclass(frozen=True)
class Kind:
    """How cells of one kind are normalised, checked for format, and converted."""

    clean: Callable[[pd.Series], pd.Series]
    parse: Callable[[pd.Series], pd.Series]
    check: pa.Check | None = None
    hint: Callable[[str], str] | None = None  # a likely fix for a value that fails ``check``


def _text(series: pd.Series) -> pd.Series:
    return series.str.strip()


def _number_text(series: pd.Series) -> pd.Series:
    """Drop spaces used as thousands separators and read a decimal comma as a point."""
    return series.str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace(",", ".")


def _colour(series: pd.Series) -> pd.Series:
    digits = series.str.lstrip("#").str.lower()
    short = digits.str.len() == 3
    digits = digits.where(~short, digits.str.replace(r"(.)", r"\1\1", regex=True))
    return "#" + digits


def _numbers(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("float64")


def _whole_numbers(series: pd.Series) -> pd.Series:
    numbers = _numbers(series)
    return numbers.where(numbers.abs() < 2**53).round().astype("Int64")


def _finite_numbers(series: pd.Series) -> pd.Series:
    return np.isfinite(_numbers(series)) & series.str.fullmatch(NUMBER_PATTERN)


def _dates(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")


def _iso_date_hint(value: str) -> str:
    """'16/07/2012' (day first, as French Excel writes dates) -> '2012-07-16'."""
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value.strip())
    return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}" if match else ""


def _matches(pattern: str, key: str) -> pa.Check:
    return pa.Check.str_matches(pattern, error=key)


KINDS: dict[str, Kind] = {
    "text": Kind(clean=_text, parse=_text),
    "code": Kind(clean=lambda series: series.str.strip().str.upper(), parse=_text),
    "choice": Kind(clean=lambda series: series.str.strip().str.lower(), parse=_text),
    "number": Kind(
        clean=_number_text,
        parse=_numbers,
        check=pa.Check(_finite_numbers, error="problem.value.number"),
    ),
    "integer": Kind(
        clean=_number_text,
        parse=_whole_numbers,
        check=_matches(r"^[+-]?\d{1,15}(\.0*)?$", "problem.value.integer"),
    ),
    "year": Kind(
        clean=_number_text,
        parse=_whole_numbers,
        check=_matches(r"^\d{4}(\.0*)?$", "problem.value.year"),
    ),
    "date": Kind(
        clean=_text,
        parse=_dates,
        check=pa.Check(lambda series: _dates(series).notna(), error="problem.value.date"),
        hint=_iso_date_hint,
    ),
    # Ids that links carry (a region's ``regions=west_africa``): no comma, space or accent.
    "identifier": Kind(
        clean=_text,
        parse=_text,
        check=_matches(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", "problem.value.identifier"),
    ),
    "colour": Kind(
        clean=_text,
        parse=_colour,
        check=_matches(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$", "problem.value.colour"),
    ),
}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table: its kind, whether it is required, and its value constraints."""

    kind: str = "text"
    required: bool = True
    unique: bool = False
    is_list: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def format_checks(self) -> list[pa.Check]:
        """Checks on the cleaned text (pass 1)."""
        check = KINDS[self.kind].check
        return [check] if check is not None else []

    def value_checks(self) -> list[pa.Check]:
        """Checks on the typed values (pass 2): enumerations and ranges.

        Each check's ``error`` is the catalogue key of its message; :attr:`message_params`
        fills it.
        """
        checks = []
        if self.choices:
            if self.is_list:
                allowed = set(self.choices)
                checks.append(
                    pa.Check(
                        lambda items: set(items) <= allowed,
                        element_wise=True,
                        error="problem.value.choices",
                    )
                )
            else:
                checks.append(pa.Check.isin(self.choices, error="problem.value.choice"))
        if self.minimum is not None and self.maximum is not None:
            checks.append(
                pa.Check.in_range(self.minimum, self.maximum, error="problem.value.range")
            )
        elif self.minimum is not None:
            checks.append(pa.Check.ge(self.minimum, error="problem.value.minimum"))
        return checks

    @property
    def message_params(self) -> dict[str, object]:
        """The parameters of this column's check messages (choices, bounds)."""
        params: dict[str, object] = {"choices": list(self.choices)} if self.choices else {}
        for name, bound in (("minimum", self.minimum), ("maximum", self.maximum)):
            if bound is not None:
                params[name] = float(bound)
        return params


COUNT = ColumnSpec("integer", minimum=0)

SPECS: dict[str, dict[str, ColumnSpec]] = {
    "posts": {
        "post_id": ColumnSpec(unique=True),
        "city": ColumnSpec(),
        "city_en": ColumnSpec(required=False),
        "city_fr_of": ColumnSpec(required=False),
        "country_iso3": ColumnSpec("code"),
        "lat": ColumnSpec("number", minimum=-90, maximum=90),
        "lon": ColumnSpec("number", minimum=-180, maximum=180),
        "opened": ColumnSpec("year", required=False),
        "staff_police": COUNT,
        "staff_gendarmerie": COUNT,
        "staff_civil_security": COUNT,
        "head_title": ColumnSpec(required=False),
        "head_title_en": ColumnSpec(required=False),
    },
    "coverage": {
        "post_id": ColumnSpec(),
        "country_iso3": ColumnSpec("code"),
        "role": ColumnSpec("choice", choices=ROLES),
    },
    "programmes": {
        "programme_id": ColumnSpec(unique=True),
        "title_fr": ColumnSpec(),
        "title_en": ColumnSpec(required=False),
        "countries": ColumnSpec("code", is_list=True),
        "lead_post_id": ColumnSpec(required=False),
        "themes": ColumnSpec(is_list=True),
        "cooperation_type": ColumnSpec("choice", choices=COOPERATION_TYPES),
        "status": ColumnSpec("choice", choices=STATUSES),
        "start_date": ColumnSpec("date"),
        "end_date": ColumnSpec("date", required=False),
        "budget_eur": ColumnSpec("number", required=False, minimum=0),
        "partners": ColumnSpec(required=False, is_list=True),
        "beneficiaries": ColumnSpec("choice", required=False, is_list=True, choices=BENEFICIARIES),
        "description": ColumnSpec(required=False),
        "description_en": ColumnSpec(required=False),
    },
    "themes": {
        "theme_id": ColumnSpec(unique=True),
        "label_fr": ColumnSpec(),
        "label_en": ColumnSpec(),
        "color": ColumnSpec("colour"),
        "short_fr": ColumnSpec(required=False),
        "short_en": ColumnSpec(required=False),
    },
    "meta": {
        "key": ColumnSpec("choice", unique=True, choices=META_KEYS),
        "value": ColumnSpec(),
    },
    "regions": {
        "region_id": ColumnSpec("identifier", unique=True),
        "label_fr": ColumnSpec(),
        "label_en": ColumnSpec(),
        "countries": ColumnSpec("code", is_list=True),
    },
}

# Codes people commonly write that the geometries spell differently.
CODE_ALIASES = {"XKX": "KOS", "XK": "KOS", "UK": "GBR", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS"}


@dataclass(frozen=True)
class Table:
    """One table during validation: the text as written, the cleaned text and the typed frame."""

    name: str
    label: str
    raw: pd.DataFrame
    clean: pd.DataFrame
    typed: pd.DataFrame
    missing: frozenset[str]

    def has(self, *columns: str) -> bool:
        """True when all these columns were present in the file."""
        return not self.missing.intersection(columns)

    def value(self, row: object, column: str | None) -> str | None:
        """The cell as the analyst wrote it (None when blank or unknown)."""
        if row is None or column not in self.raw.columns or row not in self.raw.index:
            return None
        cell = self.raw.at[row, column]
        return None if pd.isna(cell) else str(cell)

    def written_item(self, row: object, column: str, item: str) -> str:
        """The item of a list cell as written, given its cleaned form (case may differ)."""
        items = (self.value(row, column) or "").split(LIST_SEPARATOR)
        return next((text.strip() for text in items if text.strip().upper() == item.upper()), item)

    def problem(
        self,
        row: object,
        column: str | None,
        key: str,
        *,
        value: object = WRITTEN,
        severity: str = "error",
        **params: object,
    ) -> Problem:
        """A Problem at this table's ``row``/``column`` with message ``key`` (see
        :meth:`Problem.of`); the value defaults to the written cell."""
        if value is WRITTEN:
            value = self.value(row, column)
        return Problem.of(
            self.label,
            None if row is None else int(row),
            column,
            None if value is None else str(value),
            key,
            severity,
            **params,
        )


class Checked(NamedTuple):
    """What :func:`validate_tables` found: the frames, every problem, the data's date."""

    frames: dict[str, pd.DataFrame]
    problems: list[Problem]
    data_date: date | None


def validate_tables(
    tables: Mapping[str, RawTable],
    countries: pd.DataFrame,
    *,
    data_date: date | None = None,
    today: date | None = None,
) -> Checked:
    """Type and check the raw tables (``{name: RawTable}``) against each other and ``countries``.

    Returns the frames in the in-memory form of :class:`geodata.network.Network`, every
    problem found (errors and warnings) sorted by file and row, and the data's date:
    ``data_date`` when given, else the ``meta`` table's. The status-versus-dates warnings are
    checked on that date, or on ``today`` when the data has none (not at all when neither is
    given). The frames are only meaningful when no error was found.
    """
    checked: dict[str, Table] = {}
    problems: list[Problem] = []
    for name in TABLES + OPTIONAL_TABLES:
        if name in tables:
            table, found = _check_table(name, tables[name].label, tables[name].frame)
            checked[name] = table
            problems.extend(found)
    recorded, found = _meta_date(checked.get("meta"))
    problems.extend(found)
    data_date = data_date or recorded
    problems.extend(_rule_problems(checked, countries, data_date or today))
    frames = {name: _final_frame(name, checked.get(name)) for name in TABLES}
    if "regions" in checked:
        frames["regions"] = _final_frame("regions", checked["regions"])
    return Checked(frames, _sorted(problems, checked), data_date)


def _meta_date(meta: Table | None) -> tuple[date | None, list[Problem]]:
    """The ``data_date`` the meta table records (an ISO date), and the problem if it is not one."""
    if meta is None or not meta.has("key", "value"):
        return None, []
    rows = meta.typed.index[meta.typed["key"] == "data_date"]
    if len(rows) == 0:
        return None, []
    row = rows[0]
    text = meta.clean.at[row, "value"]
    parsed = _dates(pd.Series([text], dtype="str")).iloc[0]
    if pd.isna(parsed):
        hint = _iso_date_hint(text) if isinstance(text, str) else ""
        return None, [meta.problem(row, "value", "problem.meta.data_date", suggestion=hint)]
    return parsed.date(), []


def _check_table(name: str, label: str, raw: pd.DataFrame) -> tuple[Table, list[Problem]]:
    specs = SPECS[name]
    present = {column: specs[column] for column in specs if column in raw.columns}
    clean = pd.DataFrame(index=raw.index)
    for column, spec in present.items():
        clean[column] = _clean_column(raw[column], spec)
    format_schema = pa.DataFrameSchema(
        {
            column: pa.Column(
                None,
                nullable=not spec.required,
                required=spec.required,
                unique=spec.unique,
                report_duplicates="exclude_first",
                checks=spec.format_checks(),
            )
            for column, spec in specs.items()
        }
    )
    typed = pd.DataFrame(index=raw.index)
    for column, spec in specs.items():
        if column in present:
            typed[column] = _parse_column(clean[column], spec)
        else:
            typed[column] = _parse_column(pd.Series(pd.NA, index=raw.index, dtype="str"), spec)
    value_schema = pa.DataFrameSchema(
        {
            column: pa.Column(None, nullable=True, required=False, checks=spec.value_checks())
            for column, spec in specs.items()
        }
    )
    table = Table(name, label, raw, clean, typed, frozenset(specs) - set(present))
    problems = _schema_problems(format_schema, clean, table)
    problems += _schema_problems(value_schema, typed, table)
    return table, problems


def _clean_column(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Normalise the written text (case, spaces, decimal comma); blank cells become NA."""
    clean = KINDS[spec.kind].clean
    if spec.is_list:
        items = series.dropna().str.split(LIST_SEPARATOR).explode().astype("str").str.strip()
        items = clean(items[items != ""])
        series = items.groupby(level=0).agg(LIST_SEPARATOR.join).reindex(series.index)
    else:
        series = clean(series)
    return series.where(series.fillna("") != "").astype("str")


def _parse_column(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Convert cleaned text to the column's type (lists become tuples of unique items)."""
    if spec.is_list:
        return series.map(
            lambda cell: (
                tuple(dict.fromkeys(cell.split(LIST_SEPARATOR))) if isinstance(cell, str) else ()
            )
        ).astype("object")
    return KINDS[spec.kind].parse(series)


def _schema_problems(schema: pa.DataFrameSchema, frame: pd.DataFrame, table: Table) -> list:
    """Run a pandera schema lazily and translate each failure case into a Problem."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    return [_failure_problem(case, table) for case in cases.to_dict("records")]


def _failure_problem(case: dict, table: Table) -> Problem:
    check, column, row = case["check"], case["column"], case["index"]
    column = None if pd.isna(column) else column
    row = None if row is None or pd.isna(row) else int(row)
    if check == "column_in_dataframe":
        return _missing_column_problem(case["failure_case"], table)
    if check == "not_nullable":
        return table.problem(row, column, "problem.value.required")
    if check == "field_uniqueness":
        first = table.clean.index[table.clean[column] == table.clean.at[row, column]][0]
        return table.problem(row, column, "problem.value.duplicate", field=column, first=first)
    spec = SPECS[table.name].get(column, ColumnSpec())
    if not has_text(str(check)):  # a check this module did not write: say which one failed
        return table.problem(row, column, "problem.value.check", check=str(check))
    hint = KINDS[spec.kind].hint
    suggestion = hint(table.value(row, column) or "") if hint else ""
    return table.problem(row, column, str(check), suggestion=suggestion, **spec.message_params)


def _missing_column_problem(column: str, table: Table) -> Problem:
    unknown = [name for name in table.raw.columns if name not in SPECS[table.name]]
    close = difflib.get_close_matches(column, unknown, n=1, cutoff=0.6)
    if close:
        return table.problem(
            None, column, "problem.column.missing_close", value=None, close=close[0], field=column
        )
    return table.problem(None, column, "problem.column.missing", value=None)


def _rule_problems(
    tables: dict[str, Table], countries: pd.DataFrame, reference: date | None
) -> list:
    problems = _country_problems(tables, CountryHints(countries))
    problems += _reference_problems(tables)
    problems += _coverage_problems(tables)
    problems += _host_problems(tables)
    if "programmes" in tables:
        problems += _date_problems(tables["programmes"], reference)
    if "themes" in tables:
        problems += _short_form_problems(tables["themes"])
    return problems


#: The longest short form of a theme name (``short_fr``, ``short_en``): it must fit a chip.
SHORT_FORM_MAX = 24


def _short_form_problems(themes: Table) -> list[Problem]:
    """A theme's short form is for narrow places: at most :data:`SHORT_FORM_MAX` characters,
    and no longer than the name it shortens."""
    problems = []
    for lang in ("fr", "en"):
        column, label = f"short_{lang}", f"label_{lang}"
        if not themes.has(column):
            continue
        for row, short in themes.typed[column].dropna().items():
            short = str(short).strip()
            name = str(themes.typed.at[row, label] or "") if themes.has(label) else ""
            if len(short) > SHORT_FORM_MAX:
                problems.append(themes.problem(row, column, "problem.theme.short_too_long",
                                               maximum=SHORT_FORM_MAX))
            elif name and len(short) > len(name):
                problems.append(themes.problem(row, column, "problem.theme.short_longer",
                                               label=name))
    return problems


def _long(table: Table, column: str) -> pd.Series:
    """Non-blank values of a column, list cells exploded, indexed by row."""
    values = table.typed[column]
    if SPECS[table.name][column].is_list:
        values = values.explode()
    return values.dropna()


def _unknown(
    table: Table, column: str, known: Iterable[str], what: str, hint: Callable[[str], object]
) -> list[Problem]:
    """A problem for every value of ``column`` that is not among ``known``."""
    if not table.has(column):
        return []
    values = _long(table, column)
    unknown = values[~values.isin(set(known))]
    problems = []
    is_list = SPECS[table.name][column].is_list
    for row, value in unknown.items():
        written = table.written_item(row, column, value) if is_list else table.value(row, column)
        problems.append(
            table.problem(
                row, column, f"problem.unknown.{what}", value=written, written=written,
                suggestion=hint(value),
            )
        )
    return problems


def _close_id(known: list[str]) -> Callable[[str], str]:
    def hint(value: str) -> str:
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
        return close[0] if close else ""

    return hint


def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: 'Côte d'Ivoire' -> 'cotedivoire'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isalnum() and char.isascii()).lower()


class CountryHints:
    """Suggest a country code for an unknown one: alias, country name (FR or EN), close code."""

    def __init__(self, countries: pd.DataFrame):
        self.codes = [str(code) for code in countries["iso3"].dropna()]
        self.names = {
            lang: dict(zip(self.codes, countries.get(f"name_{lang}", countries["iso3"]).astype(str),
                           strict=False))
            for lang in ("fr", "en")
        }
        self.by_name: dict[str, str] = {}
        for column in ("name_en", "name_fr"):
            if column in countries:
                for code, name in zip(countries["iso3"], countries[column], strict=True):
                    self.by_name.setdefault(_fold(str(name)), str(code))

    def __call__(self, value: str) -> list[dict[str, str]]:
        """Likely codes, each as ``{"fr": "CODE (nom)", "en": "CODE (name)"}``."""
        key = _fold(value)
        if CODE_ALIASES.get(value) in self.names["en"]:
            codes = [CODE_ALIASES[value]]
        elif key in self.by_name:
            codes = [self.by_name[key]]
        else:
            codes = difflib.get_close_matches(value.upper(), self.codes, n=3, cutoff=0.6)
            if len(key) > 3:
                names = difflib.get_close_matches(key, list(self.by_name), n=1, cutoff=0.8)
                codes = [self.by_name[name] for name in names] or codes
        return [
            {lang: f"{code} ({names[code]})" for lang, names in self.names.items()}
            for code in codes
        ]


def _country_problems(tables: dict[str, Table], hints: CountryHints) -> list[Problem]:
    checks = (("posts", "country_iso3"), ("coverage", "country_iso3"), ("programmes", "countries"),
              ("regions", "countries"))
    return [
        problem
        for name, column in checks
        if name in tables
        for problem in _unknown(tables[name], column, hints.codes, "country", hints)
    ]


def _reference_problems(tables: dict[str, Table]) -> list[Problem]:
    references = (
        ("coverage", "post_id", "posts", "post_id", "post"),
        ("programmes", "lead_post_id", "posts", "post_id", "post"),
        ("programmes", "themes", "themes", "theme_id", "theme"),
    )
    problems = []
    for name, column, target, key, what in references:
        if name in tables and target in tables and tables[target].has(key):
            known = list(_long(tables[target], key).unique())
            problems += _unknown(tables[name], column, known, what, _close_id(known))
    return problems


def _coverage_problems(tables: dict[str, Table]) -> list[Problem]:
    """A country is covered by at most one post (a repeated pair is a duplicate row)."""
    coverage = tables.get("coverage")
    if coverage is None or not coverage.has("post_id", "country_iso3"):
        return []
    rows = coverage.typed[["post_id", "country_iso3"]].dropna(subset="country_iso3")
    rows = rows.rename_axis("row").reset_index()
    first = rows.groupby("country_iso3")[["row", "post_id"]].transform("first")
    repeated = rows[rows["row"] != first["row"]].join(first.add_suffix("_first"))
    return [
        coverage.problem(
            item.row,
            "country_iso3",
            "problem.coverage.duplicate_row"
            if item.post_id == item.post_id_first
            else "problem.coverage.covered_twice",
            post=item.post_id_first,
            country=item.country_iso3,
            first=item.row_first,
        )
        for item in repeated.itertuples()
    ]


def _host_problems(tables: dict[str, Table]) -> list[Problem]:
    """Each post covers its host country with role ``resident``, and only that country."""
    coverage, posts = tables.get("coverage"), tables.get("posts")
    if coverage is None or posts is None:
        return []
    if not (
        coverage.has("post_id", "country_iso3", "role") and posts.has("post_id", "country_iso3")
    ):
        return []
    hosts = posts.typed[["post_id", "country_iso3"]].dropna().drop_duplicates("post_id")
    hosts = hosts.rename_axis("post_row").reset_index()
    rows = coverage.typed[["post_id", "country_iso3", "role"]].rename_axis("row").reset_index()
    rows["host"] = rows["post_id"].map(hosts.set_index("post_id")["country_iso3"])
    at_host = rows["country_iso3"] == rows["host"]
    regional_at_host = rows[at_host & (rows["role"] == "regional")]
    resident_elsewhere = rows[(rows["role"] == "resident") & rows["host"].notna() & ~at_host]
    covered = pd.MultiIndex.from_frame(rows[["post_id", "country_iso3"]])
    uncovered = hosts[~pd.MultiIndex.from_frame(hosts[["post_id", "country_iso3"]]).isin(covered)]
    problems = [
        coverage.problem(
            item.row,
            "role",
            "problem.host.must_be_resident",
            country=item.country_iso3,
            post=item.post_id,
        )
        for item in regional_at_host.itertuples()
    ]
    problems += [
        coverage.problem(
            item.row,
            "role",
            "problem.host.resident_elsewhere",
            post=item.post_id,
            host=item.host,
        )
        for item in resident_elsewhere.itertuples()
    ]
    problems += [
        coverage.problem(
            None,
            "post_id",
            "problem.host.uncovered",
            value=item.post_id,
            post=item.post_id,
            post_file=posts.label,
            post_row=item.post_row,
            country=item.country_iso3,
        )
        for item in uncovered.itertuples()
    ]
    return problems


#: Where the recorded status disagrees with the dates on the data's date (the rule of
#: :func:`geodata.asof.statuses_on`: active from the start date to the end date, both included).
STATUS_WARNINGS = (
    ("completed", "end_date", operator.ge, "problem.status.completed_future"),
    ("planned", "start_date", operator.le, "problem.status.planned_past"),
    ("active", "start_date", operator.gt, "problem.status.active_future"),
    ("active", "end_date", operator.lt, "problem.status.active_past"),
)


def _date_problems(programmes: Table, reference: date | None) -> list[Problem]:
    """end_date on or after start_date (error); status consistent with the dates on the
    ``reference`` date (warning; skipped when there is none)."""
    typed = programmes.typed
    problems = [
        programmes.problem(
            row,
            "end_date",
            "problem.dates.order",
            start=programmes.value(row, "start_date"),
        )
        for row in typed.index[typed["end_date"] < typed["start_date"]]
    ]
    if reference is None:
        return problems
    on = pd.Timestamp(reference)
    for status, column, comparison, key in STATUS_WARNINGS:
        inconsistent = (typed["status"] == status) & comparison(typed[column], on)
        problems += [
            programmes.problem(row, column, key, severity=WARNING, date=reference.isoformat())
            for row in typed.index[inconsistent]
        ]
    return problems


def _final_frame(name: str, table: Table | None) -> pd.DataFrame:
    """The typed frame in the in-memory form of :class:`Network` (blank text as "")."""
    specs = SPECS[name]
    if table is None:
        frame = pd.DataFrame(
            {
                column: _parse_column(pd.Series([], dtype="str"), spec)
                for column, spec in specs.items()
            }
        )
    else:
        frame = table.typed.reset_index(drop=True)
    for column, spec in specs.items():
        if spec.kind in ("text", "code", "choice") and not spec.is_list:
            frame[column] = frame[column].fillna("").astype("str")
    if name == "themes":  # a short form not given: the label itself
        for lang in ("fr", "en"):
            short = frame[f"short_{lang}"]
            frame[f"short_{lang}"] = short.where(short != "", frame[f"label_{lang}"])
    if name == "posts":
        for column in ("city", "head_title"):  # an English name not given: the French one
            english = frame[f"{column}_en"]
            frame[f"{column}_en"] = english.where(english != "", frame[column])
        staff = ["staff_police", "staff_gendarmerie", "staff_civil_security"]
        frame[staff] = frame[staff].fillna(0).astype("int64")
        position = frame.columns.get_loc("staff_civil_security") + 1
        frame.insert(position, "staff_total", frame[staff].sum(axis=1).astype("int64"))
    return frame


def _sorted(problems: list[Problem], tables: dict[str, Table]) -> list[Problem]:
    files = {table.label: position for position, table in enumerate(tables.values())}
    columns = {
        column: position for specs in SPECS.values() for position, column in enumerate(specs)
    }

    def key(problem: Problem) -> tuple:
        return (
            files.get(problem.file, -1),
            problem.row or 0,
            columns.get(problem.column or "", -1),
        )

    return sorted(problems, key=key)
