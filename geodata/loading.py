"""Read the network data an analyst edits and turn it into a validated :class:`Network`.

A source is a folder of CSV files (``posts.csv``, ``coverage.csv``, ``programmes.csv``,
``themes.csv``, and optionally ``meta.csv``) or one Excel workbook with sheets of the same
names. CSV files may come from
Excel in a French locale (``;`` separator, UTF-8 with BOM or Windows-1252, decimal comma) or be
plain comma-separated UTF-8: the encoding and the separator are detected.

Reading never raises on bad input: every file that cannot be read becomes a :class:`Problem`.
Each table is kept as text at this stage (:class:`~geodata.rawtables.RawTable`), indexed by the
row number the analyst sees in a spreadsheet (header = row 1); :mod:`geodata.validate` types and
checks it.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from geodata import limits
from geodata.countries import load_countries
from geodata.network import OPTIONAL_TABLES, TABLES, Network, NetworkInvalid, Problem
from geodata.rawtables import RawData, RawTable
from geodata.validate import validate_tables

DEMO_DIR = (Path(__file__).parent / "demo").resolve()
#: The demo as it stood a few months before its date (``tools.make_demo``): the earlier
#: version the demo compares with (``atlas data diff``).
DEMO_PREVIOUS_DIR = (Path(__file__).parent / "demo-previous").resolve()
CSV_SEPARATORS = (";", ",", "\t")
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SEPARATOR_HINT = re.compile(r"^sep=(.)$")

log = logging.getLogger("atlas.loading")


class _Unreadable(Exception):
    """A file that cannot be read at all; ``key`` names the message that says why."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key, self.params = key, params


def load_network(
    source: Path | str,
    countries: pd.DataFrame | None = None,
    *,
    data_date: date | None = None,
    today: date | None = None,
) -> Network:
    """Read, validate and return the network held in ``source`` (folder or ``.xlsx``).

    ``countries`` defaults to :func:`geodata.countries.load_countries`. The network's date is
    ``data_date`` when given (a published version's recorded date), else the ``meta`` table's
    ``data_date``; the status-versus-dates warnings are checked against that date, or against
    ``today`` for undated data (no check when neither is known). The clock is never read here.
    Raises :class:`NetworkInvalid` with every problem found (errors first, then warnings) when
    any error is found; otherwise the warnings are kept in ``Network.warnings``.
    """
    if countries is None:
        countries = load_countries()
    source = Path(source)
    try:
        raw = read_source(source)
        checked = validate_tables(raw.tables, countries, data_date=data_date, today=today)
    except Exception as error:  # a reader or check that failed on input nobody foresaw
        # one line (the command line shows it too); the traceback at debug level
        log.error("unexpected %s while loading %s", type(error).__name__, source.name)
        log.debug("unexpected error while loading %s", source, exc_info=error)
        raise NetworkInvalid([_file_problem(source.name, error)]) from None
    problems = raw.problems + checked.problems
    errors = [problem for problem in problems if problem.severity == "error"]
    warnings = tuple(problem for problem in problems if problem.severity != "error")
    if errors:
        raise NetworkInvalid(errors + list(warnings))
    return Network(
        **checked.frames,
        source=str(source),
        is_demo=is_demo_source(source),
        data_date=checked.data_date,
        warnings=warnings,
    )


def is_demo_source(source: Path | str) -> bool:
    """True when ``source`` is a shipped demonstration data folder (the demo or its earlier
    snapshot)."""
    return Path(source).resolve() in (DEMO_DIR, DEMO_PREVIOUS_DIR)


def data_files(source: Path) -> list[Path]:
    """The files the loader reads in ``source`` (a workbook, or a folder's CSVs or workbook)."""
    if source.is_file():
        return [source]
    files = {path.name.lower(): path for path in source.iterdir() if path.is_file()}
    tables = [files[f"{name}.csv"] for name in TABLES + OPTIONAL_TABLES if f"{name}.csv" in files]
    if tables:
        return tables
    return [path for name, path in sorted(files.items())
            if name.endswith(".xlsx") and not name.startswith("~$")]


def read_source(source: Path) -> RawData:
    """Read the four tables of a folder of CSV files or of an Excel workbook, as text."""
    if source.is_dir():
        return _read_folder(source)
    if source.is_file() and source.suffix.lower() == ".xlsx":
        return _read_workbook(source)
    key = "problem.source.not_data" if source.is_file() else "problem.source.not_found"
    return RawData(problems=[Problem.of(str(source), None, None, None, key)])


def _read_folder(folder: Path) -> RawData:
    try:
        files = {path.name.lower(): path for path in folder.iterdir() if path.is_file()}
    except OSError as error:
        return RawData(problems=[_file_problem(str(folder), error)])
    csv_files = sorted(name for name in files if name.endswith(".csv"))
    workbooks = sorted(
        name for name in files if name.endswith(".xlsx") and not name.startswith("~$")
    )
    if not csv_files and len(workbooks) == 1:
        return _read_workbook(files[workbooks[0]])
    if not csv_files and len(workbooks) > 1:
        names = ", ".join(files[name].name for name in workbooks)
        problem = Problem.of(str(folder), None, None, None, "problem.source.workbooks", names=names)
        return RawData(problems=[problem])
    raw = RawData()
    budget = _Budget(str(folder))
    for name in TABLES + OPTIONAL_TABLES:
        path = files.get(f"{name}.csv")
        if path is None and name in OPTIONAL_TABLES:
            continue
        if path is None:
            found = ", ".join(files[other].name for other in csv_files)
            key = "problem.file.missing" if found else "problem.file.missing_no_csv"
            raw.problems.append(
                Problem.of(f"{name}.csv", None, None, None, key, folder=str(folder), found=found)
            )
            continue
        raw.files.append(path)
        try:
            data = budget.read(path)
            _add_table(raw, name, path.name, _csv_rows(data))
        except Exception as error:  # every failure of one file is that file's problem
            raw.problems.append(_file_problem(path.name, error))
    return raw


class _Budget:
    """The bytes (or characters) the data files of one source may hold together
    (:data:`limits.MAX_DATA_BYTES`)."""

    def __init__(self, label: str):
        self.label, self.left = label, limits.MAX_DATA_BYTES

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise _Unreadable("problem.limit.bytes", megabytes=limits.MAX_DATA_BYTES // 1_000_000)

    def read(self, path: Path) -> bytes:
        self.take(path.stat().st_size)
        return path.read_bytes()


def _check_unpacked_size(path: Path) -> None:
    """Refuse a workbook whose entries unpack to more than the limit (read from the archive's
    directory; zipfile never inflates an entry beyond its declared size)."""
    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # openpyxl says what is wrong with it
    _Budget(path.name).take(size)


def _read_workbook(path: Path) -> RawData:
    import openpyxl

    raw = RawData(files=[path])
    try:
        _check_unpacked_size(path)
    except _Unreadable as error:
        raw.problems.append(_file_problem(path.name, error))
        return raw
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on a corrupt file
        raw.problems.append(
            Problem.of(path.name, None, None, None, "problem.file.not_workbook", reason=str(error))
        )
        return raw
    sheets = {sheet.title.strip().lower(): sheet for sheet in workbook.worksheets}
    budget = _Budget(path.name)  # cells can share one string: count what they unpack to
    for name in TABLES + OPTIONAL_TABLES:
        label = f"{path.name} [{name}]"
        sheet = sheets.get(name)
        if sheet is None and name in OPTIONAL_TABLES:
            continue
        if sheet is None:
            found = ", ".join(sheet.title for sheet in workbook.worksheets)
            raw.problems.append(
                Problem.of(label, None, None, None, "problem.file.sheet_missing", found=found)
            )
            continue
        rows = (
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
        )
        try:
            _add_table(raw, name, label, rows, budget)
        except Exception as error:  # a damaged sheet is that sheet's problem
            raw.problems.append(_file_problem(label, error))
    workbook.close()
    return raw


def _file_problem(file: str, error: Exception) -> Problem:
    """The problem of a file or folder that cannot be read, for the analyst."""
    if isinstance(error, _Unreadable):
        return Problem.of(file, None, None, None, error.key, **error.params)
    if isinstance(error, FileNotFoundError):
        return Problem.of(file, None, None, None, "problem.file.not_found")
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        return Problem.of(file, None, None, None, "problem.file.unreadable", reason=reason)
    if isinstance(error, UnicodeError):
        return Problem.of(file, None, None, None, "problem.csv.encoding")
    if isinstance(error, csv.Error):
        reason = str(error)
    else:  # no server internals (paths, reprs) in what an editor reads
        reason = type(error).__name__
    return Problem.of(file, None, None, None, "problem.file.error", reason=reason)


def _decode(data: bytes) -> str:
    """Text of a CSV file: UTF-16 (with BOM), UTF-8 (with or without BOM) or Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _Unreadable("problem.csv.encoding") from None
    if data.startswith(b"PK\x03\x04"):
        raise _Unreadable("problem.csv.is_workbook")
    if b"\x00" in data:
        raise _Unreadable("problem.csv.binary")
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _Unreadable("problem.csv.encoding")


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """Records of a CSV file with their spreadsheet row numbers, read lazily (a large file is
    never held as a list of raw rows); separator detected."""
    text = _decode(data)
    if _CONTROL_CHARACTERS.search(text):
        raise _Unreadable("problem.csv.binary")
    first = next((line for line in io.StringIO(text) if line.strip()), "").rstrip("\r\n")
    hint = _SEPARATOR_HINT.match(first.strip())
    if hint:  # Excel's "sep=;" first line: not a row of the sheet
        separator = hint.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        separator = max(CSV_SEPARATORS, key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    return enumerate(reader, 1)


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV export would hold (dates as YYYY-MM-DD)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _column_name(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.replace("\ufeff", "").strip().lower())


def _add_table(raw: RawData, name: str, label: str, rows: Iterable[tuple[int, list]],
               budget: _Budget | None = None) -> None:
    table, problems = _table_from_rows(name, label, rows, budget)
    raw.problems.extend(problems)
    if table is not None:
        raw.tables[name] = table


def _table_from_rows(
    name: str, label: str, rows: Iterable[tuple[int, list]], budget: _Budget | None = None
) -> tuple[RawTable | None, list[Problem]]:
    """Build a text frame from numbered rows; the first non-blank row is the header."""
    # One pass, one copy: the 100x benchmark data set (50,000 programmes) peaked at 460 MB
    # when every stage of the rows was kept alive at once.
    rows = _bounded_rows(label, rows, budget)
    if isinstance(rows, Problem):
        return None, [rows]
    if not rows:
        return None, [Problem.of(label, None, None, None, "problem.table.empty")]
    problems: list[Problem] = []
    header_row, header = rows[0]
    names = [_column_name(cell) for cell in header]
    positions: dict[str, int] = {}
    for position, column in enumerate(names):
        if not column:
            continue
        if column in positions:
            problems.append(
                Problem.of(label, header_row, column, header[position], "problem.column.repeated")
            )
            continue
        positions[column] = position
    numbers = []
    columns: dict[str, list] = {column: [] for column in positions}
    for number, cells in rows[1:]:
        extra = [cell for cell in cells[len(names) :] if cell]
        if extra:
            problems.append(
                Problem.of(label, number, None, " | ".join(extra), "problem.row.extra_cells",
                           columns=len(names))
            )
        numbers.append(number)
        for column, position in positions.items():
            cell = cells[position] if position < len(cells) else ""
            columns[column].append(cell or None)
    problems.extend(_long_cells(label, columns, numbers))
    index = pd.Index(numbers, name="row", dtype="int64")
    frame = pd.DataFrame(columns, index=index, dtype="str")
    return RawTable(name=name, label=label, frame=frame), problems


def _bounded_rows(label: str, rows: Iterable[tuple[int, list]],
                  budget: _Budget | None) -> list | Problem:
    """The non-blank rows, stripped; a problem as soon as the table passes
    :data:`limits.MAX_ROWS` or the source's character budget (reading stops there: a huge
    table is never held whole)."""
    kept = []
    for number, cells in rows:
        stripped = [str(cell).strip() for cell in cells]
        if not any(stripped):
            continue
        if len(kept) > limits.MAX_ROWS:  # the header plus MAX_ROWS rows are allowed
            return Problem.of(label, number, None, None, "problem.limit.rows",
                              rows=limits.MAX_ROWS)
        if budget is not None:
            try:
                budget.take(sum(map(len, stripped)))
            except _Unreadable as error:
                return Problem.of(label, number, None, None, error.key, **error.params)
        kept.append((number, stripped))
    return kept


def _long_cells(label: str, columns: dict[str, list], numbers: list[int]) -> list[Problem]:
    """One problem per column holding cells over :data:`limits.MAX_CELL_CHARS` (the first
    such cell located, its start shown)."""
    found = []
    for column, cells in columns.items():
        for position, cell in enumerate(cells):
            if cell is not None and len(cell) > limits.MAX_CELL_CHARS:
                found.append(Problem.of(label, numbers[position], column, cell[:40] + "…",
                                        "problem.limit.cell", chars=limits.MAX_CELL_CHARS,
                                        length=len(cell)))
                break
    return found


__all__ = ["NetworkInvalid", "RawData", "RawTable", "data_files", "is_demo_source", "load_network",
           "read_source"]
