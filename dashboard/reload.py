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

Each worker checks ``current`` at most once a second before a request; on a change it builds the
new :class:`~viewmodel.data.AtlasData` in full, then swaps it in with ``DataStore.replace``: a
request sees the old version or the new one, never half of each.

Without a data root, updates are off (the upload control is not shown, ``/admin/*`` answer
409) and ``ATLAS_DATA_DIR`` is served as it is.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import fcntl
import io
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
import zipfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

import pandas as pd
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate
from flask import has_request_context, jsonify, request

from dashboard import ids
from dashboard.auth import current_user
from dashboard.settings import Settings
from geodata.i18n import count_text, describe, format_day, lang_or_default
from geodata.loading import is_demo_source, load_network
from geodata.network import OPTIONAL_TABLES, TABLES, Network, NetworkInvalid, Problem
from geodata.summary import summarize
from viewmodel.data import AtlasData, build_atlas_data
from viewmodel.store import DataStore

SEED = "seed"
VERSION_NAME = re.compile(r"^\d{8}T\d{6}(\.\d{6})?Z-[0-9a-f]{6}$")
WORKBOOK_NAME = "network.xlsx"
META_NAME = "version.json"
CHECK_INTERVAL_S = 1.0
STALE_STAGING_S = 3600
MAX_WORKBOOK_ENTRIES = 2000
MAX_UNZIPPED_FACTOR = 20
MAX_PROBLEMS_SHOWN = 50

log = logging.getLogger("atlas.reload")

def _text(key: str, lang: str | None, **values) -> str:
    return describe(f"update.{key}", lang_or_default(lang), values)


class UpdatesDisabled(Exception):
    """No data root is configured."""


class UploadRejected(ValueError):
    """Uploaded files that are not a data set (type, size, names); catalogue entry ``key``
    says why (``str()`` gives the English text)."""

    def __init__(self, key: str, **params: object):
        super().__init__(describe(key, "en", params))
        self.key, self.params = key, params

    def text(self, lang: str | None) -> str:
        """Why, in ``lang``."""
        return describe(self.key, lang_or_default(lang), self.params)


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
            result["data_date"] = _iso(self.network.data_date)
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


def _iso(day: date | None) -> str | None:
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
        is_demo: bool = False, data_date: date | None = None,
    ) -> Outcome:
        """Validate ``files`` (fixed target name -> content) and, if they load, make them the
        current version. CSV tables missing from ``files`` are taken from the current version
        when it is a folder of CSV files (``meta.csv`` excepted).

        The version's data date is ``data_date`` when given, else the data's own (``meta``
        table), else the publish day (:meth:`Settings.current_date`); it is recorded in
        ``version.json`` and the outcome says where it came from."""
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
                        "is_demo": is_demo, "data_date": _iso(network.data_date),
                        "data_date_from": dated_by, "counts": counts(network)}
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
                     data_date: date | None = None) -> Outcome:
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
                            is_demo=is_demo_source(self.seed), data_date=data_date)

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


def check_upload(items: Iterable[tuple[str, bytes]], max_bytes: int) -> dict[str, bytes]:
    """Uploaded (name, content) pairs as fixed target names -> content.

    Accepts one ``.xlsx`` workbook, or CSV files named after the tables. The name given by the
    browser only picks the table: it never reaches the filesystem.
    """
    files: dict[str, bytes] = {}
    total = 0
    for raw_name, content in items:
        name = PureWindowsPath(PurePosixPath(str(raw_name or "")).name).name.strip().lower()
        stem, _, extension = name.rpartition(".")
        total += len(content)
        if total > max_bytes:
            raise UploadRejected("problem.upload.too_large", megabytes=max_bytes // 1_000_000)
        if extension == "xlsx":
            _check_workbook(content, max_bytes)
            target = WORKBOOK_NAME
        elif extension == "csv":
            if stem not in TABLES + OPTIONAL_TABLES:
                raise UploadRejected("problem.upload.csv_name", name=repr(name),
                                     tables=[f"{table}.csv" for table in TABLES + OPTIONAL_TABLES])
            _check_csv(name, content)
            target = f"{stem}.csv"
        else:
            raise UploadRejected("problem.upload.extension", name=repr(name))
        if target in files:
            raise UploadRejected("problem.upload.twice", name=repr(name))
        files[target] = content
    if not files:
        raise UploadRejected("problem.upload.no_file")
    if WORKBOOK_NAME in files and len(files) > 1:
        raise UploadRejected("problem.upload.mixed")
    return files


def _check_workbook(content: bytes, max_bytes: int) -> None:
    if not content.startswith(b"PK\x03\x04"):
        raise UploadRejected("problem.upload.not_workbook")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except (zipfile.BadZipFile, ValueError) as error:
        raise UploadRejected("problem.upload.workbook_damaged") from error
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRejected("problem.upload.not_workbook")
    unzipped = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_WORKBOOK_ENTRIES or unzipped > MAX_UNZIPPED_FACTOR * max_bytes:
        raise UploadRejected("problem.upload.workbook_too_large")


def _check_csv(name: str, content: bytes) -> None:
    if content.startswith(b"PK\x03\x04"):
        raise UploadRejected("problem.upload.csv_is_workbook", name=repr(name))
    utf16 = content.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and b"\x00" in content[:65536]:
        raise UploadRejected("problem.upload.csv_binary", name=repr(name))


def decode_data_url(contents: str) -> bytes:
    """The bytes of a ``data:...;base64,...`` URL sent by ``dcc.Upload``."""
    _, _, encoded = str(contents).partition(";base64,")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise UploadRejected("problem.upload.damaged") from error


class DataSync:
    """Keeps one worker's :class:`DataStore` on the current version."""

    def __init__(self, versions: DataVersions, store: DataStore, countries: pd.DataFrame,
                 served: str | None):
        self.versions, self.store, self.countries = versions, store, countries
        self.served = served
        self._failed: str | None = None
        self._checked = 0.0
        self._loading = threading.Lock()

    def check(self) -> None:
        """Follow ``current`` (read at most once a second); one thread loads, the others go on
        with the version they have."""
        now = time.monotonic()
        if not self.versions.enabled or now - self._checked < CHECK_INTERVAL_S:
            return
        self._checked = now
        name = self.versions.current_name()
        if name is None or name in (self.served, self._failed):
            return
        if not self._loading.acquire(blocking=False):
            return
        try:
            network = self.versions.load(name, self.countries)
            self.adopt(name, network)
        except NetworkInvalid as invalid:
            self._failed = name
            log.error("version %s does not load; still serving %s: %s", name, self.served,
                      invalid)
        finally:
            self._loading.release()

    def adopt(self, name: str, network: Network) -> None:
        """Build everything for ``network``, then serve it in one step."""
        data = build_atlas_data(network, self.countries)
        self.store.replace(data)
        self.served = name
        log.info("worker %d now serves data version %s", os.getpid(), name)

    def health(self) -> dict:
        """What ``/healthz`` tells: loaded, date, counts, version (nothing else)."""
        data: AtlasData = self.store.current()
        cached = getattr(self, "_health", None)
        if cached is None or cached[0] is not data:
            network = data.network
            cached = (data, {
                "status": "ok",
                "data_loaded": True,
                "data_version": self.served or SEED,
                "data_date": _iso(network.data_date),
                "counts": counts(network),
            })
            self._health = cached
        return cached[1]


def update_control(settings: Settings) -> html.Div | None:
    """The upload control of the header, for editors when updates are on (always present in
    the layout Dash validates callbacks against, built outside any request)."""
    if not settings.data_root:
        return None
    if has_request_context() and not current_user().is_editor:
        return None
    lang = settings.lang
    max_bytes = settings.max_upload_mb * 1_000_000
    return html.Div(
        [dcc.Upload(id=ids.DATA_UPLOAD, multiple=True, accept=".xlsx,.csv", max_size=max_bytes,
                    children=html.Button(_text("upload", lang), className="button",
                                         title=_text("upload.hint", lang)),
                    className="data-upload"),
         html.Div(id=ids.DATA_UPDATE_STATUS, className="data-update-status", role="status",
                  **{"aria-live": "polite"})],
        className="data-update",
    )


def outcome_children(outcome: Outcome, lang: str | None, href: str | None = None) -> list:
    """The status shown after an upload: the new version (and its warnings, folded), or the
    problems as a table."""
    if outcome.ok:
        figures = counts(outcome.network)
        posts = count_text("update.count.posts", figures["posts"], lang)
        programmes = count_text("update.count.programmes", figures["programmes"], lang)
        children = [html.Span(_text("done", lang, version=outcome.version, posts=posts,
                                    programmes=programmes)), " ",
                    html.Span(dated_text(outcome, lang)), " ",
                    html.A(_text("reload", lang), href=href or "/",
                           className="data-update-reload")]
        warnings = outcome.network.warnings
        if warnings:
            children.append(html.Details([html.Summary(_text("warnings", lang, n=len(warnings))),
                                          *_problem_table(warnings, lang)]))
        return children
    errors = [problem for problem in outcome.problems if problem.severity == "error"]
    summary = html.Summary(_text("invalid", lang, n=len(errors), version=outcome.version))
    return [html.Details([summary, *_problem_table(outcome.problems, lang)], open=True)]


def dated_text(outcome: Outcome, lang: str | None) -> str:
    """What date the published version carries and where it came from, in ``lang``."""
    if not outcome.dated_by or outcome.network is None or outcome.network.data_date is None:
        return ""
    lang = lang_or_default(lang)
    return _text(f"dated.{outcome.dated_by}", lang,
                 date=format_day(outcome.network.data_date, lang))


def _problem_table(problems: tuple[Problem, ...], lang: str | None) -> list:
    """The first problems as a table (file, row, column, value, message in ``lang``), and how
    many more there are."""
    lang = lang_or_default(lang)
    shown = problems[:MAX_PROBLEMS_SHOWN]
    header = html.Tr([html.Th(_text(f"column.{c}", lang))
                      for c in ("file", "row", "column", "value", "problem")])
    rows = [html.Tr([html.Td(problem.file), html.Td("" if problem.row is None else problem.row),
                     html.Td(problem.column or ""), html.Td(problem.value or ""),
                     html.Td(problem.text(lang))], className=f"problem-{problem.severity}")
            for problem in shown]
    children = [html.Table([html.Thead(header), html.Tbody(rows)], className="problems")]
    if len(problems) > len(shown):
        children.append(html.P(_text("more", lang, n=len(problems) - len(shown))))
    return children


def register(app, store: DataStore, versions: DataVersions, countries: pd.DataFrame,
             served: str | None) -> DataSync:
    """Follow the current version in this worker; add ``/healthz``, the ``/admin`` routes and,
    when updates are on, the upload callback."""
    server = app.server
    settings = versions.settings
    sync = DataSync(versions, store, countries, served)
    server.extensions["atlas_sync"] = sync
    max_bytes = settings.max_upload_mb * 1_000_000
    # dcc.Upload sends files base64-encoded (4/3 larger) inside a JSON callback request.
    server.config["MAX_CONTENT_LENGTH"] = max_bytes * 4 // 3 + 1_000_000

    @server.before_request
    def _follow_current_version():
        sync.check()

    @server.get("/healthz")
    def healthz():
        response = jsonify(sync.health())
        response.headers["Cache-Control"] = "no-store"
        return response

    def guarded(action):
        if not current_user().is_editor:
            return jsonify({"ok": False, "error": "only editors may update the data"}), 403
        if not versions.enabled:
            return jsonify({"ok": False, "error": "data updates need ATLAS_DATA_ROOT"}), 409
        try:
            outcome = action(current_user().name)
        except UploadRejected as error:
            return jsonify({"ok": False, "error": str(error)}), 400
        if outcome.ok:
            sync.adopt(outcome.version, outcome.network)
        return jsonify(outcome.as_dict()), 200 if outcome.ok else 422

    @server.get("/admin/versions")
    def admin_versions():
        if not current_user().is_editor:
            return jsonify({"ok": False, "error": "only editors may see the versions"}), 403
        return jsonify({"served": sync.served, "versions": versions.listing()})

    @server.post("/admin/reload")
    def admin_reload():
        return guarded(lambda user: versions.publish_seed(countries, user=user))

    @server.post("/admin/upload")
    def admin_upload():
        def upload(user):
            items = [(f.filename, f.read(max_bytes + 1)) for f in request.files.getlist("files")]
            files = check_upload(items, max_bytes)
            return versions.publish(files, countries, user=user, action="upload")
        return guarded(upload)

    @server.post("/admin/restore")
    def admin_restore():
        payload = request.get_json(silent=True) or request.form
        name = str(payload.get("version", ""))
        return guarded(lambda user: versions.restore(name, countries, user=user))

    if versions.enabled:
        @app.callback(
            Output(ids.DATA_UPDATE_STATUS, "children"),
            Input(ids.DATA_UPLOAD, "contents"),
            State(ids.DATA_UPLOAD, "filename"),
            State(ids.LANG, "data"),
            State(ids.URL, "href"),
            prevent_initial_call=True,
        )
        def upload_data(contents, filenames, lang, href):
            if not contents:
                raise PreventUpdate
            user = current_user()
            if not user.is_editor:
                log.warning("refused an upload by %s (not an editor)", user.name)
                return _text("not_editor", lang)
            contents = contents if isinstance(contents, list) else [contents]
            filenames = filenames if isinstance(filenames, list) else [filenames]
            try:
                files = check_upload(
                    ((name, decode_data_url(data))
                     for name, data in zip(filenames, contents, strict=False)), max_bytes)
            except UploadRejected as error:
                return _text("rejected", lang, reason=error.text(lang))
            outcome = versions.publish(files, countries, user=user.name, action="upload")
            if outcome.ok:
                sync.adopt(outcome.version, outcome.network)
            return outcome_children(outcome, lang, href)

    return sync
