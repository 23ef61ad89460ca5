"""A text column kept compact: its distinct texts as one UTF-8 buffer, each row a code into
them, a row's text made (as ``str``) only when it is read.

The programmes' titles are nearly all distinct (about 500,000 French and 500,000 English at
1,000x the demo) and hold an em dash, so as Python strings they take two bytes a character
plus about 75 bytes each: 218 MiB at 1,000x, where this form takes about 90 MiB. Panels,
exports and changelogs read only the rows they show, so the texts are made for those rows.

The column behaves as a pandas text column for what the atlas does with the titles: rows taken
(``iloc``, masks, sorting), values read one by one (``at``, iteration, ``to_dict``, ``tolist``),
compared with a text (``== ""``), cast with ``astype(str)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray, ExtensionDtype, register_extension_dtype, take
from pandas.api.indexers import check_array_indexer


@register_extension_dtype
class CompactTextDtype(ExtensionDtype):
    """The dtype of :class:`CompactText` (its values are ``str``, missing values NaN)."""

    name = "atlas-compact-text"
    type = str
    kind = "O"
    na_value = np.nan

    @classmethod
    def construct_array_type(cls) -> type[CompactText]:
        return CompactText


class CompactText(ExtensionArray):
    """Texts as ``codes`` (int32, -1 for a missing value) into distinct texts held in
    ``buffer`` (uint8, UTF-8): text ``i`` is ``buffer[starts[i]:starts[i + 1] - gap]``
    (``gap`` 1 when the texts are separated by one byte, 0 when they follow each other)."""

    def __init__(self, codes: np.ndarray, buffer: np.ndarray, starts: np.ndarray, gap: int):
        self._codes = np.asarray(codes, dtype=np.int32)
        self._buffer, self._starts, self._gap = buffer, starts, gap

    # --- construction -----------------------------------------------------------------------

    @classmethod
    def from_buffer(cls, codes: np.ndarray, buffer: np.ndarray, *, separator: int | None = None,
                    offsets: np.ndarray | None = None) -> CompactText:
        """From a stored text column: its distinct texts' UTF-8 ``buffer``, either separated
        by the byte ``separator`` or delimited by ``offsets`` (``count + 1`` byte offsets)."""
        if offsets is not None:
            return cls(codes, buffer, np.asarray(offsets, dtype=np.int64), 0)
        ends = np.flatnonzero(buffer == separator)
        starts = np.concatenate([[0], ends + 1, [len(buffer) + 1]]).astype(np.int64)
        return cls(codes, buffer, starts, 1)

    @classmethod
    def _from_sequence(cls, scalars, *, dtype=None, copy: bool = False) -> CompactText:
        distinct: dict[str, int] = {}
        codes = np.fromiter(
            (-1 if value is None or (not isinstance(value, str) and pd.isna(value))
             else distinct.setdefault(str(value), len(distinct)) for value in scalars),
            dtype=np.int32)
        encoded = [text.encode("utf-8") for text in distinct]
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        return cls(codes, np.frombuffer(b"".join(encoded), dtype=np.uint8), starts, 0)

    @classmethod
    def _from_factorized(cls, values, original: CompactText) -> CompactText:
        return cls._from_sequence(values)

    @classmethod
    def _concat_same_type(cls, to_concat) -> CompactText:
        first = to_concat[0]
        if all(other._buffer is first._buffer for other in to_concat):
            return first._with_codes(np.concatenate([other._codes for other in to_concat]))
        return cls._from_sequence([text for other in to_concat for text in other])

    def _with_codes(self, codes: np.ndarray) -> CompactText:
        return type(self)(codes, self._buffer, self._starts, self._gap)

    # --- reading ----------------------------------------------------------------------------

    @property
    def dtype(self) -> CompactTextDtype:
        return CompactTextDtype()

    def _text(self, code: int):
        if code < 0:
            return np.nan
        start, end = int(self._starts[code]), int(self._starts[code + 1]) - self._gap
        return self._buffer[start:end].tobytes().decode("utf-8")

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self):
        return (self._text(code) for code in self._codes.tolist())

    def __getitem__(self, item):
        if isinstance(item, int | np.integer):
            return self._text(int(self._codes[item]))
        if not isinstance(item, slice | tuple):
            item = check_array_indexer(self, item)
        return self._with_codes(self._codes[item])

    def take(self, indices, *, allow_fill: bool = False, fill_value=None) -> CompactText:
        return self._with_codes(take(self._codes, indices, allow_fill=allow_fill,
                                     fill_value=-1))

    def copy(self) -> CompactText:
        return self._with_codes(self._codes.copy())  # the texts themselves never change

    def isna(self) -> np.ndarray:
        return self._codes < 0

    @property
    def nbytes(self) -> int:
        return self._codes.nbytes + self._buffer.nbytes + self._starts.nbytes

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        values = np.empty(len(self), dtype=object)
        values[:] = list(self)
        return values if dtype is None or np.dtype(dtype) == object else values.astype(dtype)

    def _where(self, mask: np.ndarray, value) -> CompactText:
        # The texts never change in place: ``where`` makes a new column.
        other = value if np.ndim(value) == 0 else np.asarray(value, dtype=object)
        return self._from_sequence(np.where(mask, np.asarray(self, dtype=object), other))

    def _compare(self, other, equal: bool) -> np.ndarray:
        if isinstance(other, pd.Series | pd.Index | pd.DataFrame):
            return NotImplemented
        values = np.asarray(self, dtype=object)
        other = np.asarray(other, dtype=object) if not isinstance(other, str) else other
        result = (values == other) if equal else (values != other)
        return np.asarray(result, dtype=bool)

    def __eq__(self, other):  # type: ignore[override]
        return self._compare(other, True)

    def __ne__(self, other):  # type: ignore[override]
        return self._compare(other, False)


__all__ = ["CompactText", "CompactTextDtype"]
