"""The tables as read, before typing and checks: what :mod:`geodata.loading` produces and
:mod:`geodata.validate` takes. Every cell is text at this stage, indexed by the row number the
analyst sees in a spreadsheet (header = row 1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geodata.network import Problem


@dataclass(frozen=True)
class RawTable:
    """One table as written: every cell a stripped string or NA, indexed by spreadsheet row."""

    name: str
    label: str
    frame: pd.DataFrame


@dataclass
class RawData:
    """What was read from a source: the readable tables, the reading problems, the files read."""

    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
