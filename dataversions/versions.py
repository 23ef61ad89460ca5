"""Data updates without loss: each update is validated in full, kept as a dated version, and
switched to in one step; every worker follows within a second.

The data root (``ATLAS_DATA_ROOT``) is a writable folder owned by the atlas, never the shipped
demo folder nor ``ATLAS_DATA_DIR`` (which the atlas only reads)::

    versions/20260514T101502.048213Z-3f2a1c/   one published version: the CSV files or one
                                        network.xlsx, plus version.json (who, when, how, counts,
                                        the data's date and where that date came from, each
                                        file's size and SHA-256, rows per table, what shrank)
    current                             the name of the version served, replaced atomically
                                        (absent or "seed": ATLAS_DATA_DIR is served)
    history.jsonl                       one line per switch: time, user, action, from, to
    staging/                            updates being validated (removed afterwards)
    store/                              each validated version in its stored form, read by
                                        the workers instead of validating again
                                        (:mod:`geodata.stored`; ``ATLAS_STORE_DIR`` moves it)

An update (an editor's upload, ``POST /admin/reload`` of ``ATLAS_DATA_DIR``, or
``atlas data publish``) is written to ``staging/`` under fixed file names and loaded with
:func:`geodata.loading.load_network`. If any error is found, the staging folder is removed,
the problems (file, row, column, message) are reported and the served data does not change. If
it loads, the folder is renamed into ``versions/`` and ``current`` is replaced. Versions are
never deleted: ``POST /admin/restore`` or ``atlas data restore NAME`` switches back to any one.

A version is loaded only when its files match what ``version.json`` recorded
(:meth:`DataVersions.verify`); the version served is the one ``current`` names, else (pointer
unreadable) the last switch of ``history.jsonl``; when it does not load, the newest that does,
else the seed, and a :class:`Notice` says so (:meth:`DataVersions.serve`,
:meth:`DataVersions.effective` for ``atlas data list``).

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
import errno
import fcntl
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from accounts.audit import open_audit
from geodata.i18n import describe, format_day, lang_or_default
from geodata.loading import data_files, is_demo_source, load_network, read_source
from geodata.network import TABLES, Network, NetworkInvalid, Problem
from geodata.stored import NetworkStore, load_network_stored, source_key
from geodata.summary import summarize

if TYPE_CHECKING:
    from dashboard.settings import Settings

SEED = "seed"
VERSION_NAME = re.compile(r"^\d{8}T\d{6}(\.\d{6})?Z-[0-9a-f]{6}$")
WORKBOOK_NAME = "network.xlsx"
META_NAME = "version.json"

log = logging.getLogger("atlas.reload")


def update_text(key: str, lang: str | None, **values) -> str:
    """The catalogue text ``update.<key>`` in ``lang``."""
    return describe(f"update.{key}", lang_or_default(lang), values)


class UpdatesDisabled(Exception):
    """No data root is configured."""


#: A step of a publish or a restore writing to the data root; tests replace it to inject a
#: fault (disk full, a kill) at each step. ``step`` names it: "staging", "meta", "rename",
#: "pointer", "history".
def _step(step: str) -> None:
    return None


@dataclass(frozen=True)
class Notice:
    """Why the version served is not the one the pointer names: ``reason`` is a catalogue key
    (``update.notice.<reason>``), ``wanted`` the version that should be served (None when the
    pointer is unreadable and the history names none)."""

    reason: str
    wanted: str | None
    served: str
    #: The day the served version was published (ISO date; None for the seed).
    served_on: str | None = None

    def as_dict(self) -> dict:
        return {"reason": self.reason, "wanted": self.wanted, "served": self.served}

    def text(self, lang: str | None) -> str:
        """The full notice (version names): ``atlas data list``, the log."""
        return update_text(f"notice.{self.reason}", lang, wanted=self.wanted or "?",
                           served=self.served)

    def banner(self, lang: str | None) -> str:
        """The short notice of the dashboard's banner (the served version by its day)."""
        lang = lang_or_default(lang)
        try:
            day = format_day(date.fromisoformat(self.served_on), lang) if self.served_on else ""
        except ValueError:
            day = ""
        served = (update_text("banner.served_on", lang, date=day) if day
                  else update_text("banner.served_seed", lang))
        return update_text(f"banner.{self.reason}", lang, served=served)


@dataclass(frozen=True)
class Served:
    """The version a server serves, loaded, and the notice when it is a fallback."""

    name: str
    network: Network
    notice: Notice | None = None


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
    #: Tables that lost all their rows or more than half: (table, rows before, rows after).
    shrank: tuple[tuple[str, int, int], ...] = ()
    #: True when the publish was refused only because tables shrank (confirm to go on).
    needs_confirmation: bool = False

    def as_dict(self) -> dict:
        """JSON-ready form for the ``/admin`` routes."""
        result = {"ok": self.ok, "version": self.version}
        if self.shrank:
            result["shrank"] = [{"table": table, "before": before, "after": after}
                                for table, before, after in self.shrank]
        if self.needs_confirmation:
            result["needs_confirmation"] = True
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
    try:
        with open(temp, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def file_record(path: Path) -> dict:
    """What ``version.json`` records of one published file: its size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return {"bytes": size, "sha256": digest.hexdigest()}


def table_rows(network: Network) -> dict[str, int]:
    """Rows per table of a loaded network (what a publish records and compares)."""
    return {table: len(getattr(network, table)) for table in TABLES}


def io_problem(error: OSError, key: str = "problem.io.write") -> Problem:
    """An I/O failure told without the server's paths: what failed and why (disk full,
    permission denied...)."""
    reason = os.strerror(error.errno) if error.errno else type(error).__name__
    return Problem.of("data root", None, None, None, key, reason=reason)


#: ``ATLAS_STORE_DIR`` turning the stored form off.
STORE_OFF = "off"


def network_store(settings: Settings, root: Path | None) -> NetworkStore | None:
    """The folder of validated versions in their stored form (:mod:`geodata.stored`):
    ``ATLAS_STORE_DIR``, else ``store/`` in the data root, else ``atlas-store-<uid>`` in the
    temporary folder; None when ``ATLAS_STORE_DIR`` is ``off``."""
    chosen = str(getattr(settings, "store_dir", "") or "")
    if chosen.strip().lower() == STORE_OFF:
        return None
    if chosen:
        return NetworkStore(Path(chosen))
    if root is not None:
        return NetworkStore(root / "store")
    return NetworkStore(Path(tempfile.gettempdir()) / f"atlas-store-{os.getuid()}")


class DataVersions:
    """The published versions in the data root, and which one is current."""

    #: Where the publishes and restores come from, for the audit trail (``web`` in the app).
    source = "cli"

    def __init__(self, settings: Settings, audit=None):
        self.settings = settings
        #: The audit trail each publish and restore is recorded in
        #: (:mod:`accounts.audit`; default: ``ATLAS_AUDIT_LOG``, or none).
        self.audit = audit if audit is not None else open_audit(getattr(settings, "audit_log", ""))
        self.seed = Path(settings.data_dir)
        self.root = Path(settings.data_root).resolve() if settings.data_root else None
        if self.root is not None and (self.root == self.seed.resolve()
                                      or is_demo_source(self.root)):
            raise ValueError("ATLAS_DATA_ROOT must be a folder of its own, not the data folder")
        #: Where each validated version is stored once for the workers (None: off).
        self.store = network_store(settings, self.root)

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
            with open(self.root / "current", "rb") as marker:
                name = marker.read(200).decode("utf-8").strip()
        except FileNotFoundError:
            if self._history():  # switches were made: a lost pointer is a fault, not "seed"
                log.error("%s is missing", self.root / "current")
                return None
            return SEED
        except (OSError, UnicodeError) as error:
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
            meta = json.loads((self.folder(name) / META_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return meta if isinstance(meta, dict) else {}

    def verify(self, name: str) -> list[Problem]:
        """Problems of version ``name``'s files against what its publish recorded (sizes and
        checksums; versions published before checksums were recorded are not checked)."""
        if name == SEED or self.root is None:
            return []
        folder = self.folder(name)
        if not (folder / META_NAME).is_file():
            return [Problem.of(META_NAME, None, None, None, "problem.version.no_record")]
        recorded = self.meta(name).get("checksums")
        if recorded is None:
            return []
        if not isinstance(recorded, dict):
            return [Problem.of(META_NAME, None, None, None, "problem.version.no_record")]
        problems = []
        for file, expected in sorted(recorded.items()):
            try:
                actual = file_record(folder / file)
            except OSError as error:
                problems.append(Problem.of(file, None, None, None, "problem.file.unreadable",
                                           reason=os.strerror(error.errno or errno.EIO)))
                continue
            if actual != expected:
                problems.append(Problem.of(
                    file, None, None, None, "problem.version.changed",
                    recorded=(expected or {}).get("bytes", "?"), found=actual["bytes"]))
        return problems

    def _history(self) -> list[dict]:
        """The switches recorded in ``history.jsonl`` (lines that cannot be read are skipped)."""
        if self.root is None:
            return []
        try:
            lines = (self.root / "history.jsonl").read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeError):
            return []
        entries = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("to"), str):
                entries.append(entry)
        return entries

    def wanted(self) -> tuple[str | None, str | None]:
        """The version that should be served and, when the pointer could not say, why:
        (name, None) from a readable pointer; (last switch in the history, "pointer") when the
        pointer is unreadable or names no version; (None, "pointer") when neither says."""
        name = self.current_name()
        if name is not None:
            return name, None
        for entry in reversed(self._history()):
            if self.exists(entry["to"]):
                return entry["to"], "pointer"
        return None, "pointer"

    def candidates(self) -> list[str]:
        """The versions to try, in order: the one wanted, then the newest first, the seed last
        (the same order for the servers and for ``atlas data list``)."""
        wanted, _ = self.wanted()
        names = [wanted] if wanted else []
        names += [name for name in reversed(self.names()) if name != wanted] + [SEED]
        return list(dict.fromkeys(names))

    def notice(self, reason: str, wanted: str | None, served: str) -> Notice:
        """A :class:`Notice` for serving ``served`` instead of ``wanted``."""
        created = str(self.meta(served).get("created") or "")[:10] or None
        return Notice(reason, wanted, served, created)

    def _notice(self, served: str, reasons: dict[str, str]) -> Notice | None:
        wanted, pointer = self.wanted()
        if served == wanted and not pointer:
            return None
        if served == wanted:
            return self.notice("pointer", wanted, served)
        return self.notice(reasons.get(wanted or "", "pointer"), wanted, served)

    def effective(self) -> tuple[str, Notice | None]:
        """The version a server would serve (the first candidate whose files match their
        record) and the notice when it is a fallback; what ``atlas data list`` marks."""
        reasons: dict[str, str] = {}
        for name in self.candidates():
            if not self.verify(name):
                return name, self._notice(name, reasons)
            reasons[name] = "changed"
        return SEED, self._notice(SEED, reasons)

    def listing(self) -> list[dict]:
        """Every version, newest first, with its record, whether it is served (``current``:
        the version the servers serve, fallbacks included), whether the pointer names it
        (``pointer``) and, for a version whose files no longer match their record, ``damaged``.
        """
        current, _ = self.effective()
        pointer = self.current_name()
        rows = []
        for name in reversed(self.names()):
            row = {"version": name, **self.meta(name), "current": name == current,
                   "pointer": name == pointer}
            if self.verify(name):
                row["damaged"] = True
            rows.append(row)
        rows.append({"version": SEED, "current": current == SEED, "pointer": pointer == SEED,
                     "source": str(self.seed)})
        return rows

    def load(self, name: str, countries: pd.DataFrame) -> Network:
        """Load and validate version ``name`` (dated as its publish recorded; the seed by its
        own meta table); raises :class:`NetworkInvalid`."""
        if name == SEED or self.root is None:
            return load_network_stored(self.seed, countries, store=self.store,
                                       today=self.settings.current_date())
        damaged = self.verify(name)
        if damaged:
            raise NetworkInvalid(damaged)
        meta = self.meta(name)
        try:
            recorded = date.fromisoformat(meta["data_date"])
        except (KeyError, TypeError, ValueError):
            recorded = None  # a version published before versions recorded their date
        network = load_network_stored(self.folder(name), countries, store=self.store,
                                      data_date=recorded, today=self.settings.current_date())
        if meta.get("is_demo"):
            network = dataclasses.replace(network, is_demo=True)
        return network

    def load_current(self, countries: pd.DataFrame) -> tuple[str, Network]:
        """The current version, loaded; if it fails, the newest one that loads (logged)."""
        served = self.serve(countries)
        return served.name, served.network

    def serve(self, countries: pd.DataFrame) -> Served:
        """The version to serve, loaded: the one wanted (:meth:`wanted`) or, when it does not
        load, the newest that does, else the seed; the fallback is logged and noticed.
        Raises :class:`NetworkInvalid` (the first failure) only when nothing loads."""
        failure: NetworkInvalid | None = None
        reasons: dict[str, str] = {}
        for name in self.candidates():
            try:
                network = self.load(name, countries)
            except NetworkInvalid as invalid:
                log.error("version %s does not load: %s", name, invalid)
                failure = failure or invalid
                damaged = any(p.key.startswith("problem.version.") for p in invalid.problems)
                reasons[name] = "changed" if damaged else "invalid"
                continue
            notice = self._notice(name, reasons)
            if notice is not None:
                log.error("serving version %s instead of %s (%s)", name, notice.wanted,
                          notice.reason)
            return Served(name, network, notice)
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
        """Point ``current`` at ``name`` and record the switch; when the record cannot be
        written the pointer is put back (the history always tells what is served)."""
        previous, _ = self.wanted()
        entry = {"time": _now().isoformat(timespec="seconds"), "user": user, "action": action,
                 "from": previous, "to": name}
        _step("pointer")
        _write_atomically(root / "current", name + "\n")
        try:
            _step("history")
            self._append_history(root, entry)
        except BaseException:
            if previous is not None:
                _write_atomically(root / "current", previous + "\n")
            raise
        log.info("data version %s -> %s (%s by %s)", previous, name, action, user)

    def _append_history(self, root: Path, entry: dict) -> None:
        path = root / "history.jsonl"
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        with open(path, "ab") as history:
            start = history.tell()
            try:
                history.write(line)
                history.flush()
                os.fsync(history.fileno())
            except BaseException:
                history.truncate(start)  # never half a line
                raise

    def _reconcile(self, root: Path) -> None:
        """After a switch cut short (a kill between the pointer and its record), record the
        switch the pointer shows, so that the history ends on what is served."""
        pointer = self.current_name()
        history = self._history()
        last = history[-1]["to"] if history else SEED
        if pointer is not None and pointer != last:
            self._append_history(root, {"time": _now().isoformat(timespec="seconds"),
                                        "user": "atlas", "action": "recovered", "from": last,
                                        "to": pointer})
            log.warning("history completed: the switch to %s was not recorded", pointer)

    def _clean_staging(self, root: Path) -> None:
        """Remove what a publish cut short left in ``staging/`` (called under the lock: no
        other publish is writing there)."""
        for folder in (root / "staging").iterdir():
            shutil.rmtree(folder, ignore_errors=True)

    def publish(
        self, files: dict[str, bytes], countries: pd.DataFrame, *, user: str, action: str,
        is_demo: bool = False, data_date: date | None = None, allow_shrink: bool = False,
        label: str | None = None,
    ) -> Outcome:
        """Validate ``files`` (fixed target name -> content) and, if they load, make them the
        current version. CSV tables missing from ``files`` are taken from the current version
        when it is a folder of CSV files (``meta.csv`` excepted).

        The version's data date is ``data_date`` when given, else the data's own (``meta``
        table), else the publish day (:meth:`Settings.current_date`); it is recorded in
        ``version.json`` and the outcome says where it came from. ``label`` names the
        version for people ("Comité du 15 septembre"; recorded as ``name``), usable wherever
        a version is named (:meth:`resolve`).

        A table that lost all its rows, or more than half, is refused unless ``allow_shrink``
        (the outcome then ``needs_confirmation``). A failure to write (disk full, permission)
        is an outcome with a problem saying so: nothing half-written is left behind, the
        served version and the history do not change."""
        label = clean_label(label)
        before = self._current_counts()
        try:
            with self._locked() as root:
                outcome = self._publish(root, files, countries, user=user, action=action,
                                        is_demo=is_demo, data_date=data_date,
                                        allow_shrink=allow_shrink, label=label)
        except OSError as error:
            log.error("publish failed: %s", error)
            outcome = Outcome(False, self.current_name() or "?", problems=(io_problem(error),))
        self._audit("upload" if action == "upload" else "publish", user, outcome, before)
        return outcome

    def _current_counts(self) -> dict | None:
        current = self.current_name() if self.enabled else None
        recorded = self.meta(current).get("counts") if current else None
        return {"version": current, "counts": recorded if isinstance(recorded, dict) else None}

    def _audit(self, action: str, user: str, outcome: Outcome, before: dict | None) -> None:
        """One event for a publish or a restore: the version, and what changed in counts."""
        fields = {"version": outcome.version if outcome.ok else None,
                  "previous": (before or {}).get("version"), "ok": outcome.ok,
                  "source": self.source}
        if outcome.ok and outcome.network is not None:
            after = counts(outcome.network)
            old = (before or {}).get("counts") or {}
            fields["counts"] = after
            fields["changed"] = {key: value - old[key] for key, value in after.items()
                                 if isinstance(old.get(key), int) and value != old[key]}
        else:
            fields["problems"] = len(outcome.problems)
            if outcome.needs_confirmation:
                fields["needs_confirmation"] = True
        try:
            self.audit.record(action, user, **fields)
        except OSError as error:  # the trail's disk: say so, the publish stands
            log.error("could not write the audit trail: %s", error)

    def _publish(self, root: Path, files: dict[str, bytes], countries: pd.DataFrame, *,
                 user: str, action: str, is_demo: bool, data_date: date | None,
                 allow_shrink: bool, label: str | None) -> Outcome:
        publish_day = self.settings.current_date()
        self._clean_staging(root)
        self._reconcile(root)
        previous, _ = self.wanted()
        staging = root / "staging" / secrets.token_hex(8)
        final: Path | None = None
        switched = False
        try:
            staging.mkdir()
            _step("staging")
            for target, content in files.items():
                (staging / target).write_bytes(content)
            self._complete_tables(staging, files)
            try:
                network = load_network(staging, countries, data_date=data_date,
                                       today=publish_day)
            except NetworkInvalid as invalid:
                return Outcome(False, previous or "?", problems=tuple(invalid.problems))
            rows = table_rows(network)
            shrank = self._shrinkage(previous, rows, countries)
            if shrank and not allow_shrink:
                problems = tuple(
                    Problem.of(f"{table}.csv", None, None, f"{before} → {after}",
                               "problem.publish.shrank", before=before, after=after)
                    for table, before, after in shrank)
                return Outcome(False, previous or "?", problems=problems, shrank=shrank,
                               needs_confirmation=True)
            if data_date is not None:
                dated_by = "option"
            elif network.data_date is not None:
                dated_by = "meta"
            else:
                dated_by = "publish_day"
                network = dataclasses.replace(network, data_date=publish_day)
            name = new_version_name()
            published = sorted(p.name for p in staging.iterdir())
            meta = {"created": _now().isoformat(timespec="seconds"), "user": user,
                    "action": action, "previous": previous,
                    "files": published,
                    "checksums": {file: file_record(staging / file) for file in published},
                    "rows": rows, "shrank": [list(item) for item in shrank],
                    "is_demo": is_demo, "data_date": iso_day(network.data_date),
                    "data_date_from": dated_by, "counts": counts(network),
                    **({"name": label} if label else {})}
            _step("meta")
            _write_atomically(staging / META_NAME, json.dumps(meta, indent=2) + "\n")
            _step("rename")
            final = root / "versions" / name
            os.rename(staging, final)
            self._switch(root, name, user, action)
            switched = True
            if self.store is not None:  # the workers read it rather than validate again
                self.store.write(source_key(final, data_date=network.data_date, today=None),
                                 network)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if final is not None and not switched:  # never an orphan version
                shutil.rmtree(final, ignore_errors=True)
        network = dataclasses.replace(network, source=str(final), is_demo=is_demo)
        return Outcome(True, name, network, dated_by=dated_by, shrank=shrank)

    def _shrinkage(self, previous: str | None, rows: dict[str, int],
                   countries: pd.DataFrame) -> tuple[tuple[str, int, int], ...]:
        """Tables of ``rows`` that lost all their rows or more than half of them compared with
        version ``previous`` (its recorded rows, else its tables as read)."""
        if previous is None:
            return ()
        before = self.meta(previous).get("rows")
        if not isinstance(before, dict):
            try:
                raw = read_source(self.folder(previous))
            except Exception:  # a version that cannot be read cannot shrink
                return ()
            before = {name: len(table.frame) for name, table in raw.tables.items()}
        shrank = []
        for table in TABLES:
            old, new = before.get(table), rows.get(table, 0)
            if isinstance(old, int) and old > 0 and (new == 0 or new * 2 < old):
                shrank.append((table, old, new))
        return tuple(shrank)

    def _complete_tables(self, staging: Path, files: dict[str, bytes]) -> None:
        if WORKBOOK_NAME in files:
            return
        current, _ = self.wanted()
        if current is None:
            return
        present = {name.lower() for name in files}
        # The meta table is not carried over: tables sent today describe today (or the date
        # sent with them), not the date of the version they complete.
        carried = {f"{name}.csv" for name in TABLES}
        for path in data_files(self.folder(current)):
            name = path.name.lower()
            if name in carried and name not in present:
                shutil.copy2(path, staging / f"{path.stem.lower()}.csv")

    def publish_seed(self, countries: pd.DataFrame, *, user: str,
                     data_date: date | None = None, allow_shrink: bool = False,
                     label: str | None = None) -> Outcome:
        """Publish what ``ATLAS_DATA_DIR`` holds now (the analysts' working folder), dated
        ``data_date`` when given (see :meth:`publish`)."""
        if not self.seed.exists():
            problem = Problem.of(str(self.seed), None, None, None, "problem.source.not_found")
            return Outcome(False, self.current_name() or "?", problems=(problem,))
        files = {}
        try:
            for path in data_files(self.seed):
                target = WORKBOOK_NAME if path.suffix.lower() == ".xlsx" else path.name.lower()
                files[target] = path.read_bytes()
        except OSError as error:
            return Outcome(False, self.current_name() or "?",
                           problems=(io_problem(error, "problem.io.read"),))
        if not files:
            problem = Problem.of(str(self.seed), None, None, None, "problem.source.no_file")
            return Outcome(False, self.current_name() or "?", problems=(problem,))
        return self.publish(files, countries, user=user, action="reload",
                            is_demo=is_demo_source(self.seed), data_date=data_date,
                            allow_shrink=allow_shrink, label=label)

    def restore(self, name: str, countries: pd.DataFrame, *, user: str) -> Outcome:
        """Serve version ``name`` again (after checking that it still loads); ``name`` may be
        the name given at publish (:meth:`resolve`), as on the command line and in
        ``/admin/restore``."""
        name = self.resolve(name) or name
        before = self._current_counts() if self.enabled else None
        outcome = self._restore(name, countries, user=user)
        self._audit("restore", user, outcome, before)
        return outcome

    def _restore(self, name: str, countries: pd.DataFrame, *, user: str) -> Outcome:
        if not self.exists(name):
            problem = Problem.of(name[:80], None, None, None, "problem.source.no_version")
            return Outcome(False, self.current_name() or "?", problems=(problem,))
        try:
            network = self.load(name, countries)
        except NetworkInvalid as invalid:
            return Outcome(False, self.current_name() or "?", problems=tuple(invalid.problems))
        try:
            with self._locked() as root:
                self._reconcile(root)
                self._switch(root, name, user, "restore")
        except OSError as error:
            log.error("restore failed: %s", error)
            return Outcome(False, self.current_name() or "?", problems=(io_problem(error),))
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

