"""A validated network stored once in a columnar file, so that a worker or a restart reads it
in a second instead of reading and validating the source files again.

The stored form of a source is keyed by the digest of what the validation depends on: the
bytes of every data file the loader reads, the country shapes, the data's date given by the
caller (a published version's recorded date) or, for undated data, the day the warnings are
checked on, and :data:`FORMAT`. A source whose files change gets a new key, so a stored file is
never stale; an older one is simply not found.

The file is a NumPy ``.npz`` archive read with ``allow_pickle=False`` (no code runs on
load): every column is an array of numbers, and every text or list column is a
dictionary (codes into its distinct values, the values as one UTF-8 buffer with offsets).
Identical values share one Python object once read, which is most of the memory saved on
repeated texts (types, statuses, posts, descriptions, partners). Its name ends with the
SHA-256 of its own bytes: a file that does not hash to its name (truncated, damaged,
edited) is removed and the source validated again, never trusted.

The folder is the atlas's own (``ATLAS_STORE_DIR``); it is created readable by its owner only,
and one that belongs to another user or that others may write in is neither read nor written.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import logging
import os
import secrets
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.countries import COUNTRIES_FILE
from geodata.loading import data_files, is_demo_source, load_network
from geodata.network import Network, Problem
from geodata.texts import CompactText, CompactTextDtype

#: The layout of a stored file; a change of what validation produces, or a layout the reader
#: cannot read, changes it, and so every key: files written by an older atlas are then never
#: read. (A text column is read in either of its two layouts, separated or with offsets.)
FORMAT = "atlas-store-2"
SUFFIX = ".npz"
FRAMES = ("posts", "coverage", "programmes", "themes", "regions")
#: Stored files kept in a folder, the last used (a version restored after its file went is
#: validated once again): an undated source gets a new key each day, and versions pile up.
KEPT = 8
#: Text columns read back compact (:class:`geodata.texts.CompactText`): nearly every row's
#: text is its own and only the rows shown are read (the titles: 218 MiB as Python strings
#: at 1,000x the demo, about 90 MiB compact).
COMPACT = {"programmes": frozenset({"title_fr", "title_en"})}

log = logging.getLogger("atlas.stored")


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def source_key(source: Path, *, data_date: date | None, today: date | None) -> str:
    """The key of ``source``'s validated form: the digest of its data files' names and bytes,
    the country shapes, the date the warnings are checked on, and :data:`FORMAT`."""
    parts = [FORMAT, pd.__version__, f"countries:{_file_digest(COUNTRIES_FILE)}"]
    # With a date given, the warnings are checked on it; otherwise on the meta table's date
    # (covered by the files' bytes) or on ``today`` for undated data.
    parts.append(f"date:{data_date.isoformat() if data_date else ''}")
    parts.append(f"today:{today.isoformat() if today and not data_date else ''}")
    for path in data_files(source):
        parts.append(f"{path.name.lower()}:{_file_digest(path)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


# --------------------------------------------------------------------------------------------
# Columns to arrays and back
# --------------------------------------------------------------------------------------------


#: Between the texts of one buffer: a character no validated text holds (the loader refuses
#: control characters in a CSV file; a workbook's text holding one is stored with offsets).
SEPARATOR = "\x00"


def _texts(values: list[str]) -> dict[str, np.ndarray]:
    """Distinct texts as one UTF-8 buffer, separated by :data:`SEPARATOR` (or, when a text
    holds it, with the byte offsets of each)."""
    if not any(SEPARATOR in value for value in values):
        joined = SEPARATOR.join(values).encode("utf-8")
        return {"text": np.frombuffer(joined, dtype=np.uint8),
                "count": np.array([len(values)], dtype=np.int64)}
    encoded = [value.encode("utf-8") for value in values]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return {"text": np.frombuffer(b"".join(encoded), dtype=np.uint8), "offsets": offsets}


def _read_texts(arrays: _Arrays, prefix: str) -> list[str]:
    if f"{prefix}.count" in arrays:
        # One decode and one split, in C: the texts are made one after the other, with no
        # short-lived objects between them (which would keep the heap from shrinking).
        count = int(arrays[f"{prefix}.count"][0])
        if count == 0:
            return []
        return arrays[f"{prefix}.text"].tobytes().decode("utf-8").split(SEPARATOR)
    buffer = memoryview(arrays[f"{prefix}.text"])
    offsets = arrays[f"{prefix}.offsets"].tolist()
    return [str(buffer[start:end], "utf-8")
            for start, end in zip(offsets[:-1], offsets[1:], strict=True)]


class _Arrays:
    """The arrays of an open archive, each read when first asked for and not kept."""

    def __init__(self, archive):
        self._archive = archive

    def __getitem__(self, name: str) -> np.ndarray:
        return self._archive[name]

    def __contains__(self, name: str) -> bool:
        return name in self._archive.files


def _is_object(dtype) -> bool:
    return isinstance(dtype, np.dtype) and dtype.kind == "O"


def _is_tuple_column(series: pd.Series) -> bool:
    return _is_object(series.dtype) and all(isinstance(value, tuple) for value in series)


def _column_arrays(name: str, series: pd.Series) -> tuple[dict, dict[str, np.ndarray]]:
    """(how to read it back, arrays) for one column."""
    dtype = series.dtype
    if isinstance(dtype, CompactTextDtype):  # a network read from its stored form
        series = series.astype("str")
        dtype = series.dtype
    if isinstance(dtype, pd.StringDtype) or (_is_object(dtype)
                                             and all(isinstance(v, str) for v in series)):
        codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
        arrays = {f"{name}.codes": codes.astype(np.int32)}
        arrays.update({f"{name}.{key}": value
                       for key, value in _texts([str(v) for v in uniques]).items()})
        return {"kind": "text", "dtype": str(dtype)}, arrays
    if _is_object(dtype):  # tuples of texts (the list columns)
        if not _is_tuple_column(series):
            raise TypeError(f"column {name!r} holds values the store cannot keep")
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        items = [item for value in uniques for item in value]
        item_codes, item_uniques = pd.factorize(pd.Series(items, dtype=object))
        lengths = np.fromiter((len(value) for value in uniques), dtype=np.int64,
                              count=len(uniques))
        arrays = {f"{name}.codes": codes.astype(np.int32),
                  f"{name}.items": item_codes.astype(np.int32),
                  f"{name}.bounds": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)}
        arrays.update({f"{name}.{key}": value
                       for key, value in _texts([str(v) for v in item_uniques]).items()})
        return {"kind": "tuples"}, arrays
    if isinstance(dtype, pd.api.extensions.ExtensionDtype):  # Int64 and the like: values, mask
        mask = series.isna().to_numpy()
        numpy_dtype = dtype.numpy_dtype if hasattr(dtype, "numpy_dtype") else np.float64
        values = series.to_numpy(dtype=numpy_dtype, na_value=0)
        return ({"kind": "masked", "dtype": str(dtype)},
                {f"{name}.values": values, f"{name}.mask": mask})
    if dtype.kind == "M":
        return ({"kind": "datetime", "dtype": str(dtype)},
                {f"{name}.values": series.to_numpy().view(np.int64)})
    if dtype.kind in "biuf":
        return {"kind": "numpy", "dtype": str(dtype)}, {f"{name}.values": series.to_numpy()}
    raise TypeError(f"column {name!r} has a dtype the store cannot keep: {dtype}")


def _read_column(spec: dict, arrays: _Arrays, name: str, *, compact: bool = False
                 ) -> pd.Series | np.ndarray | CompactText:
    kind = spec["kind"]
    if kind == "text" and compact:
        codes, buffer = arrays[f"{name}.codes"], arrays[f"{name}.text"]
        if f"{name}.count" in arrays:
            return CompactText.from_buffer(codes, buffer, separator=ord(SEPARATOR))
        return CompactText.from_buffer(codes, buffer, offsets=arrays[f"{name}.offsets"])
    if kind == "text":
        uniques = np.array(_read_texts(arrays, name) + [np.nan], dtype=object)
        values = uniques[arrays[f"{name}.codes"]]  # -1 (missing) reads the NaN at the end
        return pd.array(values, dtype=spec["dtype"])
    if kind == "tuples":
        items = np.array(_read_texts(arrays, name), dtype=object)[arrays[f"{name}.items"]]
        bounds = arrays[f"{name}.bounds"].tolist()
        uniques = np.empty(len(bounds), dtype=object)  # the last one: a missing value
        for position, (start, end) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
            uniques[position] = tuple(items[start:end].tolist())
        uniques[-1] = None
        return uniques[arrays[f"{name}.codes"]]
    if kind == "masked":
        return pd.arrays.IntegerArray(arrays[f"{name}.values"], arrays[f"{name}.mask"]) \
            if spec["dtype"] in ("Int64", "Int32") else \
            pd.array(np.where(arrays[f"{name}.mask"], None, arrays[f"{name}.values"]),
                     dtype=spec["dtype"])
    if kind == "datetime":
        return arrays[f"{name}.values"].view(spec["dtype"])
    return arrays[f"{name}.values"].astype(spec["dtype"], copy=False)


def _frame_arrays(table: str, frame: pd.DataFrame) -> tuple[dict, dict[str, np.ndarray]]:
    if not (isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
            and frame.index.step == 1):
        raise ValueError(f"table {table!r} is not indexed by position")
    columns, arrays = [], {}
    for position, column in enumerate(frame.columns):
        spec, column_arrays = _column_arrays(f"{table}.{position}", frame[column])
        columns.append({"name": column, **spec})
        arrays.update(column_arrays)
    return {"rows": len(frame), "columns": columns}, arrays


def _read_frame(table: str, manifest: dict, arrays: _Arrays) -> pd.DataFrame:
    compact = COMPACT.get(table, frozenset())
    data = {spec["name"]: _read_column(spec, arrays, f"{table}.{position}",
                                       compact=spec["name"] in compact)
            for position, spec in enumerate(manifest["columns"])}
    return pd.DataFrame(data, index=pd.RangeIndex(manifest["rows"]))  # columns in their order


def network_bytes(network: Network) -> bytes:
    """The stored form of ``network`` (its frames, date and warnings; not its source)."""
    manifest: dict = {"format": FORMAT, "tables": {},
                      "data_date": network.data_date.isoformat() if network.data_date else None,
                      "warnings": [_problem_record(p) for p in network.warnings]}
    arrays: dict[str, np.ndarray] = {}
    for table in FRAMES:
        frame = getattr(network, table)
        if frame is None:
            continue
        manifest["tables"][table], table_arrays = _frame_arrays(table, frame)
        arrays.update(table_arrays)
    arrays["manifest"] = np.frombuffer(json.dumps(manifest).encode("utf-8"), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def network_from_bytes(content: bytes | io.BufferedIOBase, source: Path | str, *,
                       is_demo: bool) -> Network:
    """The network a stored form holds (bytes, or a binary file open on it; ``source``,
    ``is_demo``: where it was read from)."""
    stream = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
    with np.load(stream, allow_pickle=False) as archive:
        arrays = _Arrays(archive)
        manifest = json.loads(arrays["manifest"].tobytes().decode("utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError("not a stored network of this format")
        frames = {table: _read_frame(table, spec, arrays)
                  for table, spec in manifest["tables"].items()}
    data_date = manifest["data_date"]
    return Network(**frames, source=str(source), is_demo=is_demo,
                   data_date=date.fromisoformat(data_date) if data_date else None,
                   warnings=tuple(Problem(**record) for record in manifest["warnings"]))


def _problem_record(problem: Problem) -> dict:
    return {"file": problem.file, "row": problem.row, "column": problem.column,
            "value": problem.value, "message": problem.message, "severity": problem.severity,
            "key": problem.key, "params": dict(problem.params)}


# --------------------------------------------------------------------------------------------
# The folder
# --------------------------------------------------------------------------------------------


class NetworkStore:
    """The folder of stored networks (``folder``); :meth:`load` gives a validated network,
    from its stored form when one matches, else validated now and stored."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)

    def _ensure_folder(self) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not self.trusted():
            raise PermissionError(f"{self.folder} is not the atlas's own folder")

    def trusted(self) -> bool:
        """True when the folder belongs to this process's user and nobody else may write in
        it (a folder someone else made, in a shared temporary folder, is never read)."""
        try:
            status = self.folder.stat()
        except OSError:
            return False
        return status.st_uid == os.getuid() and not status.st_mode & 0o022

    def path_of(self, key: str) -> Path | None:
        """The stored file of ``key`` when there is one (not yet checked)."""
        try:
            return next(iter(sorted(self.folder.glob(f"{key}-*{SUFFIX}"))), None)
        except OSError:
            return None

    def read(self, key: str, source: Path | str, *, is_demo: bool) -> Network | None:
        """The network stored under ``key``; None when there is none or it does not hash to
        its name (the file is then removed)."""
        if not self.trusted():
            return None
        path = self.path_of(key)
        if path is None:
            return None
        expected = path.name[len(key) + 1:-len(SUFFIX)]
        try:
            # One open file: hashed, then read from the start (a writer replaces a file by
            # renaming, never in place, so what is read is what was hashed).
            with open(path, "rb") as stream:
                if hashlib.file_digest(stream, "sha256").hexdigest() != expected:
                    log.error("stored network %s does not match its digest: validated again",
                              path.name)
                    path.unlink(missing_ok=True)
                    return None
                stream.seek(0)
                network = network_from_bytes(stream, source, is_demo=is_demo)
            os.utime(path)  # last used: kept the longest
            return network
        except OSError as error:
            log.error("cannot read the stored network %s: %s", path.name, error)
            return None
        except Exception as error:  # an archive this atlas did not write: validated again
            log.error("stored network %s cannot be read (%s): validated again",
                      path.name, type(error).__name__)
            path.unlink(missing_ok=True)
            return None

    def write(self, key: str, network: Network) -> Path | None:
        """Store ``network`` under ``key`` (atomically); None when the folder is not
        writable (logged: the network is still served, validated)."""
        try:
            content = network_bytes(network)
            self._ensure_folder()
            path = self.folder / f"{key}-{hashlib.sha256(content).hexdigest()}{SUFFIX}"
            temp = self.folder / f".{key}.{secrets.token_hex(4)}.tmp"
            try:
                with open(temp, "wb") as out:
                    out.write(content)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temp, path)
            finally:
                temp.unlink(missing_ok=True)
        except (OSError, TypeError, ValueError) as error:  # PermissionError: not our folder
            log.error("cannot store the validated network: %s", error)
            return None
        for other in self.folder.glob(f"{key}-*{SUFFIX}"):
            if other != path:
                other.unlink(missing_ok=True)
        self._prune()
        return path

    def _prune(self) -> None:
        """Remove all but the :data:`KEPT` files used last (and their locks)."""
        def used(path: Path) -> float:
            try:
                return path.stat().st_mtime
            except OSError:
                return 0.0

        stored = sorted(self.folder.glob(f"*{SUFFIX}"), key=used, reverse=True)
        for path in stored[KEPT:]:
            path.unlink(missing_ok=True)
            (self.folder / f".{path.name.split('-')[0]}.lock").unlink(missing_ok=True)

    @contextlib.contextmanager
    def _locked(self, key: str):
        """One process validates a source at a time; the others wait, then read its file."""
        try:
            self._ensure_folder()
            handle = open(self.folder / f".{key}.lock", "a+b")  # noqa: SIM115
        except OSError:
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            handle.close()

    def load(self, source: Path | str, countries: pd.DataFrame | None = None, *,
             data_date: date | None = None, today: date | None = None) -> Network:
        """The validated network of ``source`` (the arguments of
        :func:`geodata.loading.load_network`): read from its stored form when one matches
        the source's files, else validated now (raising :class:`NetworkInvalid` as the
        loader does) and stored for the next worker or restart."""
        source = Path(source)
        try:
            key = source_key(source, data_date=data_date, today=today)
        except OSError:  # the loader says what cannot be read
            return load_network(source, countries, data_date=data_date, today=today)
        network = self.read(key, source, is_demo=is_demo_source(source))
        if network is not None:
            return network
        with self._locked(key):
            network = self.read(key, source, is_demo=is_demo_source(source))
            if network is not None:  # another worker stored it while this one waited
                return network
            network = load_network(source, countries, data_date=data_date, today=today)
            self.write(key, network)
            return network


def load_network_stored(source: Path | str, countries: pd.DataFrame | None = None, *,
                        store: NetworkStore | None, data_date: date | None = None,
                        today: date | None = None) -> Network:
    """:func:`geodata.loading.load_network` through ``store`` (None: validated every time)."""
    if store is None:
        return load_network(source, countries, data_date=data_date, today=today)
    return store.load(source, countries, data_date=data_date, today=today)


__all__ = ["FORMAT", "NetworkStore", "load_network_stored", "network_bytes", "network_from_bytes",
           "source_key"]
