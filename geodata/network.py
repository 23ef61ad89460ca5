"""The network data model: one immutable :class:`Network` holding four typed frames.

In-memory conventions (what the loader produces and every other module relies on):

``posts``       post_id, city, city_en (the English name, ``city`` when not given),
                city_fr_of (the French "of <city>" where the article cannot be derived from
                the name: "du Caire", "de La Havane"; "" when absent, and
                :func:`geodata.i18n.of_place` derives "d'Abidjan", "de Dakar"),
                country_iso3 (str); lat, lon (float64); opened (Int64, may be NA);
                staff_police, staff_gendarmerie, staff_civil_security, staff_total (int64);
                head_title (str, "" when absent), head_title_en (``head_title`` when not given)
``coverage``    post_id, country_iso3, role ("resident" | "regional")
``programmes``  programme_id, title_fr, title_en ("" when absent), lead_post_id ("" when
                absent), cooperation_type, status, description (str); countries, themes,
                partners, beneficiaries (tuple of str); start_date, end_date (datetime64);
                budget_eur (float64, NaN when absent)
``themes``      theme_id, label_fr, label_en, color ("#rrggbb")
``regions``     region_id, label_fr, label_en (str), countries (tuple of str); None when the
                data set has no ``regions`` table (the continents apply)

``data_date`` is the date the data describes: the ``meta`` table's ``data_date``, or the date
a publish recorded with the version; never a file's modification time. None when the data
says nothing (a working folder without ``meta``).

A validated network is stored once per data version in a columnar file and read back by each
worker with the same frames (:mod:`geodata.stored`).

Long tables are derived once at load for vectorised filtering, each with ``row`` (the
programme's position in ``programmes``, which names the programme): ``programme_countries``
(row, country_iso3, budget_share = the programme's budget split evenly over its countries),
``programme_themes`` (row, theme_id) and ``programme_beneficiaries`` (row, beneficiary).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from geodata.i18n import describe

COOPERATION_TYPES = ("technical", "operational", "institutional", "partnership")
STATUSES = ("planned", "active", "completed")
BENEFICIARIES = ("police", "gendarmerie", "customs", "civil_security", "justice")
ROLES = ("resident", "regional")
TABLES = ("posts", "coverage", "programmes", "themes")
#: The programmes columns that hold a tuple of values (``|``-separated in the files).
LIST_COLUMNS = ("countries", "themes", "partners", "beneficiaries")
#: The network's home country (ISO3): the seat of the directorate, drawn in its own tone.
HOME_COUNTRY = "FRA"
# Small tables a data set may add: ``meta`` (columns key, value) says what date the data
# describes (key ``data_date``, an ISO date); ``regions`` (region_id, label_fr, label_en,
# countries) names the region sets (see :mod:`geodata.regions`).
OPTIONAL_TABLES = ("meta", "regions")
META_KEYS = ("data_date",)


@dataclass(frozen=True)
class Problem:
    """One validation finding, located as the analyst sees it (file/sheet, Excel row, column).

    ``key`` and ``params`` name the message in the catalogue (``problem.*`` in
    :mod:`geodata.i18n`), so it can be shown in either language with :meth:`text`; ``message``
    is its English text, the stable form of the command line and the JSON reports.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: str = "error"
    key: str = ""
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    @classmethod
    def of(
        cls,
        file: str,
        row: int | None,
        column: str | None,
        value: str | None,
        key: str,
        severity: str = "error",
        **params: object,
    ) -> Problem:
        """A problem whose message is catalogue entry ``key`` filled with ``params``."""
        params = {
            name: _plain(param)
            for name, param in params.items()
            if name != "suggestion" or param  # no suggestion: no "did you mean"
        }
        return cls(file, row, column, value, describe(key, "en", params), severity, key, params)

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``fr`` or ``en``)."""
        return describe(self.key, lang, self.params) if self.key else self.message

    def as_dict(self, lang: str = "en") -> dict:
        """JSON-ready form (keys ``file``, ``row``, ``column``, ``value``, ``message`` in
        ``lang``, ``severity``, ``key``, ``params``)."""
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.text(lang),
            "severity": self.severity,
            "key": self.key,
            "params": dict(self.params),
        }

    def located(self, lang: str = "en") -> str:
        """``file, row R, column C: message (value: 'V')`` in ``lang``."""
        where = self.file
        if self.row is not None:
            where += describe("problem.at.row", lang, {"row": self.row})
        if self.column:
            where += describe("problem.at.column", lang, {"column": self.column})
        value = ""
        if self.value is not None:
            value = describe("problem.at.value", lang, {"value": repr(self.value)})
        return f"{where}: {self.text(lang)}{value}"

    def __str__(self) -> str:
        return self.located("en")


def _plain(value: object) -> object:
    """A JSON-ready parameter: numpy and pandas scalars become Python ones."""
    return value.item() if isinstance(value, np.generic) else value


def localised_column(column: str, lang: str) -> str:
    """The posts column holding ``column`` (``city``, ``head_title``) in ``lang``."""
    return f"{column}_en" if lang == "en" else column


class NetworkInvalid(Exception):
    """Raised by the loader with every problem found; nothing is loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(describe("problem.network_invalid", "en", {"n": len(self.problems)}))


@dataclass(frozen=True)
class ListItems:
    """The values of a list column, one per (programme, value): ``rows`` (int32, the
    programme's position), ``codes`` (int32) into ``vocabulary`` (the distinct values as
    text, sorted); by programme, then in each programme's order, missing values left out."""

    rows: np.ndarray
    codes: np.ndarray
    vocabulary: np.ndarray


def _cell_items(cell) -> list[str]:
    items = cell if isinstance(cell, tuple | list | np.ndarray) else (cell,)
    return [str(item) for item in items if not (item is None or
                                                (isinstance(item, float) and np.isnan(item)))]


#: The hash table ``pd.factorize`` starts with (it grows as needed). By default it is sized
#: for every row: 32 MiB a column at 1,000x the demo, for a handful of distinct values.
FACTORIZE_START = 1024


def list_items(values: pd.Series) -> ListItems:
    """The :class:`ListItems` of a list column. Each distinct cell is split once: the stored
    form reads one tuple object per distinct cell, shared by its programmes (5,221 distinct
    theme tuples for 497,000 programmes at 1,000x the demo), so this costs a few integer
    arrays rather than an object a value (``explode`` peaked at about 80 MiB there)."""
    cells = values.to_numpy(dtype=object)
    try:
        cell_codes, distinct = pd.factorize(cells, size_hint=FACTORIZE_START)
    except TypeError:  # lists (unhashable) from a caller: the same values as tuples
        cells = np.fromiter((tuple(c) if isinstance(c, list | np.ndarray) else c
                             for c in cells), dtype=object, count=len(cells))
        cell_codes, distinct = pd.factorize(cells, size_hint=FACTORIZE_START)
    per_cell = [_cell_items(cell) for cell in distinct]
    vocabulary = np.asarray(sorted({item for items in per_cell for item in items}),
                            dtype=object)
    position = {item: code for code, item in enumerate(vocabulary)}
    lengths = np.fromiter(map(len, per_cell), dtype=np.int64, count=len(per_cell))
    flat = np.fromiter((position[item] for items in per_cell for item in items),
                       dtype=np.int32, count=int(lengths.sum()))
    starts = np.cumsum(lengths) - lengths
    present = np.flatnonzero(cell_codes >= 0)
    kept = cell_codes[present]
    repeats = lengths[kept]
    rows = np.repeat(present.astype(np.int32), repeats)
    return ListItems(rows, flat[ranges(starts[kept], repeats)], vocabulary)


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``start, start + 1, ... start + length - 1`` of every (start, length),
    one range after the other (how a long table is read out of per-row slices)."""
    within = (np.arange(int(lengths.sum()), dtype=np.int64)
              - np.repeat(np.cumsum(lengths) - lengths, lengths))
    return np.repeat(starts, lengths).astype(np.int64, copy=False) + within


def _explode(programmes: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    """Long table (row, name): ``row`` is the programme's position in the frame (no
    ``programme_id``: a pointer a row, 17 MiB at 1,000x the demo, that nothing read; 32-bit,
    as are the filter index's codes)."""
    items = list_items(programmes[column])
    return pd.DataFrame({"row": items.rows,
                         name: pd.array(items.vocabulary[items.codes], dtype="str")})


def _same_values(left: pd.Series, right: pd.Series) -> bool:
    """Whether two columns hold the same values: at once when both read the same buffer (a
    frame restated from another shares its columns), else value by value (5 ms at 100x the
    demo for the programmes' ids, on every new as-of date)."""
    a, b = np.asarray(left.array), np.asarray(right.array)
    if (a.dtype == b.dtype and a.shape == b.shape and a.strides == b.strides
            and a.__array_interface__["data"] == b.__array_interface__["data"]):
        return True
    return left.equals(right)


@dataclass(frozen=True)
class Network:
    """The validated network: posts, coverage, programmes and themes. Never mutated."""

    posts: pd.DataFrame
    coverage: pd.DataFrame
    programmes: pd.DataFrame
    themes: pd.DataFrame
    source: str = ""
    is_demo: bool = False
    data_date: date | None = None
    warnings: tuple[Problem, ...] = ()
    regions: pd.DataFrame | None = None
    programme_countries: pd.DataFrame = field(init=False, repr=False)
    programme_themes: pd.DataFrame = field(init=False, repr=False)
    programme_beneficiaries: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self) -> None:
        countries = _explode(self.programmes, "countries", "country_iso3")
        n_countries = self.programmes["countries"].map(len).to_numpy()
        budget = self.programmes["budget_eur"].fillna(0.0).to_numpy(dtype=float)
        rows = countries["row"].to_numpy()
        countries["budget_share"] = budget[rows] / n_countries[rows].clip(min=1)
        object.__setattr__(self, "programme_countries", countries)
        themes = _explode(self.programmes, "themes", "theme_id")
        object.__setattr__(self, "programme_themes", themes)
        object.__setattr__(
            self,
            "programme_beneficiaries",
            _explode(self.programmes, "beneficiaries", "beneficiary"),
        )

    def restated(self, *, programmes: pd.DataFrame, posts: pd.DataFrame,
                 coverage: pd.DataFrame) -> Network:
        """This network with ``programmes`` (the same rows in the same order, with other
        values in columns that are not lists, such as a dated ``status``), ``posts`` and
        ``coverage``; the long tables of the programmes' lists are kept, not built again."""
        if not (programmes.index.equals(self.programmes.index)
                and _same_values(programmes["programme_id"], self.programmes["programme_id"])):
            raise ValueError("restated programmes must keep the network's rows")
        restated = copy.copy(self)
        object.__setattr__(restated, "programmes", programmes)
        object.__setattr__(restated, "posts", posts)
        object.__setattr__(restated, "coverage", coverage)
        return restated
