"""Data updates without loss: each update is validated in full, kept as a dated version, and
switched to in one step; every worker follows within a second.

The data root (``ATLAS_DATA_ROOT``) is a writable folder owned by the atlas, never the shipped
demo folder nor ``ATLAS_DATA_DIR`` (which the atlas only reads)::

    versions/20260514T101502.048213Z-3f2a1c/   one published version: the CSV files or one
                                        network.xlsx, plus version.json (who, when, how, counts,
                                        the data's date and where that date came from)
    current                             the name of the version served, replaced atomically
                                        (absent or "seed": ATLAS_DATA_DIR is served)
    history.jsonl                       one line per switch: time, user, action, from, to
    staging/                            updates being validated (removed afterwards)

An update (an editor's upload, ``POST /admin/reload`` of ``ATLAS_DATA_DIR``, or
``atlas data publish``) is written to ``staging/`` under fixed file names and loaded with
:func:`geodata.loading.load_network`. If any error is found, the staging folder is removed,
the problems (file, row, column, message) are reported and the served data does not change. If
it loads, the folder is renamed into ``versions/`` and ``current`` is replaced. Versions are
never deleted: ``POST /admin/restore`` or ``atlas data restore NAME`` switches back to any one.

Each worker checks ``current`` at most once a second before a request
(:class:`dataversions.sync.DataSync`); on a change it builds the new
:class:`~viewmodel.data.AtlasData` in full, then swaps it in with ``DataStore.replace``: a
request sees the old version or the new one, never half of each. Uploads are checked by
:mod:`dataversions.uploads`; the upload control, the ``/admin`` routes and ``/healthz`` are the
web app's (:mod:`dashboard.reload`). Nothing here imports Dash or Flask.

Without a data root, updates are off (the upload control is not shown, ``/admin/*`` answer
409) and ``ATLAS_DATA_DIR`` is served as it is.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geodata.i18n import describe, format_day, lang_or_default
from geodata.loading import is_demo_source, load_network
from geodata.network import OPTIONAL_TABLES, TABLES, Network, NetworkInvalid, Problem
from geodata.summary import summarize

if TYPE_CHECKING:
    from dashboard.settings import Settings

SEED = "seed"
VERSION_NAME = re.compile(r"^\d{8}T\d{6}(\.\d{6})?Z-[0-9a-f]{6}$")
WORKBOOK_NAME = "network.xlsx"
META_NAME = "version.json"
STALE_STAGING_S = 3600

log = logging.getLogger("atlas.reload")


def update_text(key: str, lang: str | None, **values) -> str:
    """The catalogue text ``update.<key>`` in ``lang``."""
    return describe(f"update.{key}", lang_or_default(lang), values)


class UpdatesDisabled(Exception):
    """No data root is configured."""



@dataclass(frozen=True)
class Outcome:
    """The result of a publish or restore: the version switched to, or the problems found.

    ``dated_by`` says where the version's data date came from: ``meta`` (the data's own meta
    table), ``option`` (given to the publish) or ``publish_day`` (neither: the publish day).
    """

    ok: bool
    version: str
    network: Network | None = None
    problems: tuple[Problem, ...] = ()
    dated_by: str = ""

    def as_dict(self) -> dict:
        """JSON-ready form for the ``/admin`` routes."""
        result = {"ok": self.ok, "version": self.version}
        if self.network is not None:
            result["counts"] = counts(self.network)
            result["data_date"] = iso_day(self.network.data_date)
        if self.dated_by:
            result["data_date_from"] = self.dated_by
        if self.problems:
            result["problems"] = [problem.as_dict() for problem in self.problems]
        return result


def counts(network: Network) -> dict:
    """Key figures shown by ``/healthz`` and recorded with each version."""
    summary = summarize(network)
    return {
        "posts": summary["posts"],
        "staff": summary["staff"]["total"],
        "covered_countries": summary["covered_countries"],
        "programmes": summary["programmes"]["total"],
        "themes": len(summary["themes"]),
    }


def _now() -> datetime:
    return datetime.now(UTC)


def iso_day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def new_version_name() -> str:
    """A dated, unique version name, e.g. ``20260514T101502.048213Z-3f2a1c``; names sort in
    the order the versions were made (microseconds: two updates in one second keep their
    order)."""
    return f"{_now():%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(3)}"


def _write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    with open(temp, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)


def _data_files(source: Path) -> list[Path]:
    """The files the loader reads in ``source`` (a workbook, or a folder's CSVs or workbook)."""
    if source.is_file():
        return [source]
    files = {path.name.lower(): path for path in source.iterdir() if path.is_file()}
    tables = [files[f"{name}.csv"] for name in TABLES + OPTIONAL_TABLES if f"{name}.csv" in files]
    if tables:
        return tables
    return [path for name, path in sorted(files.items())
            if name.endswith(".xlsx") and not name.startswith("~$")]


class DataVersions:
    """The published versions in the data root, and which one is current."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.seed = Path(settings.data_dir)
        self.root = Path(settings.data_root).resolve() if settings.data_root else None
        if self.root is not None and (self.root == self.seed.resolve()
                                      or is_demo_source(self.root)):
            raise ValueError("ATLAS_DATA_ROOT must be a folder of its own, not the data folder")

    @property
    def enabled(self) -> bool:
        """True when updates are possible (a data root is configured)."""
        return self.root is not None

    def _require_root(self) -> Path:
        if self.root is None:
            raise UpdatesDisabled("data updates need ATLAS_DATA_ROOT")
        for folder in (self.root / "versions", self.root / "staging"):
            folder.mkdir(parents=True, exist_ok=True)
        return self.root

    def folder(self, name: str) -> Path:
        """What to load for version ``name`` (the seed is ``ATLAS_DATA_DIR``)."""
        if name == SEED or self.root is None:
            return self.seed
        return self.root / "versions" / name

    def exists(self, name: str) -> bool:
        """True for the seed and for every published version."""
        if name == SEED:
            return True
        return bool(VERSION_NAME.match(name)) and self.folder(name).is_dir()

    def current_name(self) -> str | None:
        """The version to serve; None when the marker is unreadable or names no version."""
        if self.root is None:
            return SEED
        try:
            name = (self.root / "current").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return SEED
        except OSError as error:
            log.error("cannot read %s: %s", self.root / "current", error)
            return None
        if not self.exists(name):
            log.error("%s names no version: %r", self.root / "current", name[:80])
            return None
        return name

    def names(self) -> list[str]:
        """Published versions, oldest first."""
        if self.root is None or not (self.root / "versions").is_dir():
            return []
        return sorted(p.name for p in (self.root / "versions").iterdir()
                      if p.is_dir() and VERSION_NAME.match(p.name))

    def resolve(self, name: str) -> str | None:
        """The version a person names: a version's own name, ``seed``, or the name given at
        publish (``--name``; the newest version carrying it, case and spaces aside)."""
        if self.exists(name):
            return name
        wanted = " ".join(name.split()).casefold()
        for version in reversed(self.names()):
            if " ".join(str(self.meta(version).get("name", "")).split()).casefold() == wanted:
                return version
        return None

    def meta(self, name: str) -> dict:
        """What ``version.json`` records for ``name`` ({} for the seed)."""
        if name == SEED:
            return {}
        try:
            return json.loads((self.folder(name) / META_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def listing(self) -> list[dict]:
        """Every version, newest first, with its record and whether it is served."""
        current = self.current_name()
        rows = [{"version": name, "current": name == current, **self.meta(name)}
                for name in reversed(self.names())]
        rows.append({"version": SEED, "current": current == SEED, "source": str(self.seed)})
        return rows

    def load(self, name: str, countries: pd.DataFrame) -> Network:
        """Load and validate version ``name`` (dated as its publish recorded; the seed by its
        own meta table); raises :class:`NetworkInvalid`."""
        if name == SEED or self.root is None:
            return load_network(self.seed, countries, today=self.settings.current_date())
        meta = self.meta(name)
        try:
            recorded = date.fromisoformat(meta["data_date"])
        except (KeyError, TypeError, ValueError):
            recorded = None  # a version published before versions recorded their date
        network = load_network(self.folder(name), countries, data_date=recorded,
                               today=self.settings.current_date())
        if meta.get("is_demo"):
            network = dataclasses.replace(network, is_demo=True)
        return network

    def load_current(self, countries: pd.DataFrame) -> tuple[str, Network]:
        """The current version, loaded; if it fails, the newest one that loads (logged)."""
        current = self.current_name()
        candidates = [current] if current else []
        candidates += [name for name in reversed(self.names()) if name != current] + [SEED]
        failure: NetworkInvalid | None = None
        for name in dict.fromkeys(candidates):
            try:
                network = self.load(name, countries)
            except NetworkInvalid as invalid:
                log.error("version %s does not load: %s", name, invalid)
                failure = failure or invalid
                continue
            if name != current:
                log.error("serving version %s instead of %s, which does not load", name, current)
            return name, network
        raise failure

    @contextmanager
    def _locked(self):
        root = self._require_root()
        with open(root / ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield root
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _switch(self, root: Path, name: str, user: str, action: str) -> None:
        previous = self.current_name()
        _write_atomically(root / "current", name + "\n")
        entry = {"time": _now().isoformat(timespec="seconds"), "user": user, "action": action,
                 "from": previous, "to": name}
        with open(root / "history.jsonl", "a", encoding="utf-8") as history:
            history.write(json.dumps(entry, ensure_ascii=False) + "\n")
        log.info("data version %s -> %s (%s by %s)", previous, name, action, user)

    def _clean_staging(self, root: Path) -> None:
        for folder in (root / "staging").iterdir():
            try:
                if time.time() - folder.stat().st_mtime > STALE_STAGING_S:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue

    def publish(
        self, files: dict[str, bytes], countries: pd.DataFrame, *, user: str, action: str,
        is_demo: bool = False, data_date: date | None = None, label: str | None = None,
    ) -> Outcome:
        """Validate ``files`` (fixed target name -> content) and, if they load, make them the
        current version. CSV tables missing from ``files`` are taken from the current version
        when it is a folder of CSV files (``meta.csv`` excepted).

        The version's data date is ``data_date`` when given, else the data's own (``meta``
        table), else the publish day (:meth:`Settings.current_date`); it is recorded in
        ``version.json`` and the outcome says where it came from. ``label`` names the
        version for people ("Comité du 15 septembre"; recorded as ``name``), usable wherever
        a version is named (:meth:`resolve`)."""
        label = clean_label(label)
        publish_day = self.settings.current_date()
        with self._locked() as root:
            self._clean_staging(root)
            staging = root / "staging" / secrets.token_hex(8)
            staging.mkdir()
            try:
                for target, content in files.items():
                    (staging / target).write_bytes(content)
                self._complete_tables(staging, files)
                try:
                    network = load_network(staging, countries, data_date=data_date,
                                           today=publish_day)
                except NetworkInvalid as invalid:
                    return Outcome(False, self.current_name() or "?",
                                   problems=tuple(invalid.problems))
                if data_date is not None:
                    dated_by = "option"
                elif network.data_date is not None:
                    dated_by = "meta"
                else:
                    dated_by = "publish_day"
                    network = dataclasses.replace(network, data_date=publish_day)
                name = new_version_name()
                final = root / "versions" / name
                meta = {"created": _now().isoformat(timespec="seconds"), "user": user,
                        "action": action, "previous": self.current_name(),
                        "files": sorted(p.name for p in staging.iterdir()),
                        "is_demo": is_demo, "data_date": iso_day(network.data_date),
                        "data_date_from": dated_by, "counts": counts(network),
                        **({"name": label} if label else {})}
                _write_atomically(staging / META_NAME, json.dumps(meta, indent=2) + "\n")
                os.rename(staging, final)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            self._switch(root, name, user, action)
        network = dataclasses.replace(network, source=str(final), is_demo=is_demo)
        return Outcome(True, name, network, dated_by=dated_by)

    def _complete_tables(self, staging: Path, files: dict[str, bytes]) -> None:
        if WORKBOOK_NAME in files:
            return
        current = self.current_name()
        if current is None:
            return
        present = {name.lower() for name in files}
        # The meta table is not carried over: tables sent today describe today (or the date
        # sent with them), not the date of the version they complete.
        carried = {f"{name}.csv" for name in TABLES}
        for path in _data_files(self.folder(current)):
            name = path.name.lower()
            if name in carried and name not in present:
                shutil.copy2(path, staging / f"{path.stem.lower()}.csv")

    def publish_seed(self, countries: pd.DataFrame, *, user: str,
                     data_date: date | None = None, label: str | None = None) -> Outcome:
        """Publish what ``ATLAS_DATA_DIR`` holds now (the analysts' working folder), dated
        ``data_date`` when given (see :meth:`publish`)."""
        if not self.seed.exists():
            problem = Problem.of(str(self.seed), None, None, None, "problem.source.not_found")
            return Outcome(False, self.current_name() or "?", problems=(problem,))
        files = {}
        for path in _data_files(self.seed):
            target = WORKBOOK_NAME if path.suffix.lower() == ".xlsx" else path.name.lower()
            files[target] = path.read_bytes()
        if not files:
            problem = Problem.of(str(self.seed), None, None, None, "problem.source.no_file")
            return Outcome(False, self.current_name() or "?", problems=(problem,))
        return self.publish(files, countries, user=user, action="reload",
                            is_demo=is_demo_source(self.seed), data_date=data_date, label=label)

    def restore(self, name: str, countries: pd.DataFrame, *, user: str) -> Outcome:
        """Serve version ``name`` again (after checking that it still loads)."""
        if not self.exists(name):
            problem = Problem.of(name[:80], None, None, None, "problem.source.no_version")
            return Outcome(False, self.current_name() or "?", problems=(problem,))
        try:
            network = self.load(name, countries)
        except NetworkInvalid as invalid:
            return Outcome(False, self.current_name() or "?", problems=tuple(invalid.problems))
        with self._locked() as root:
            self._switch(root, name, user, "restore")
        return Outcome(True, name, network)


MAX_LABEL = 80


def clean_label(label: str | None) -> str:
    """A version's given name as recorded: printable, one line, at most :data:`MAX_LABEL`
    characters ("" when none)."""
    if not label:
        return ""
    return " ".join("".join(c for c in str(label) if c.isprintable()).split())[:MAX_LABEL]


def dated_text(outcome: Outcome, lang: str | None) -> str:
    """What date the published version carries and where it came from, in ``lang``."""
    if not outcome.dated_by or outcome.network is None or outcome.network.data_date is None:
        return ""
    lang = lang_or_default(lang)
    return update_text(f"dated.{outcome.dated_by}", lang,
                 date=format_day(outcome.network.data_date, lang))

