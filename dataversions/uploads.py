"""Uploaded files checked before anything is written: one workbook or CSV files named after the
tables, within the size limit, of the right type; the browser's file name only picks the table."""

from __future__ import annotations

import base64
import binascii
import io
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath, PureWindowsPath

from dataversions.versions import WORKBOOK_NAME
from geodata import limits
from geodata.i18n import describe, lang_or_default
from geodata.network import OPTIONAL_TABLES, TABLES

MAX_WORKBOOK_ENTRIES = 2000


class UploadRejected(ValueError):
    """Uploaded files that are not a data set (type, size, names); catalogue entry ``key``
    says why (``str()`` gives the English text)."""

    def __init__(self, key: str, **params: object):
        super().__init__(describe(key, "en", params))
        self.key, self.params = key, params

    def text(self, lang: str | None) -> str:
        """Why, in ``lang``."""
        return describe(self.key, lang_or_default(lang), self.params)


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
    # An upload is validated inside a web request: its tighter limit (geodata.limits).
    if len(entries) > MAX_WORKBOOK_ENTRIES or unzipped > limits.MAX_UPLOAD_DATA_BYTES:
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
