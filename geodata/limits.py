"""The size limits of a data set, checked where every file is read (:mod:`geodata.loading`):
the same limits hold for an editor's upload, ``atlas data publish``, ``atlas validate`` and the
versions a server loads. ``docs/operations.md`` lists them; a source over a limit is refused
with a located problem, never cut silently.

- ``MAX_DATA_BYTES``: the data files once unpacked (a CSV file's bytes, the uncompressed size
  of a workbook's entries), all tables together: room for the 1,000x benchmark set (497,000
  programmes, 266 MB of CSV), which is published from the command line, validated once and
  then read by the workers in its stored form (:mod:`geodata.stored`);
- ``MAX_UPLOAD_DATA_BYTES``: the same for a workbook uploaded through the web page, which is
  validated inside a web worker's request (:mod:`dataversions.uploads`);
- ``MAX_ROWS``: rows per table (header excluded), 4x the largest data set benchmarked;
- ``MAX_CELL_CHARS``: characters per cell (a programme's description is the longest text).
"""

from __future__ import annotations

MAX_DATA_BYTES = 400_000_000
MAX_UPLOAD_DATA_BYTES = 64_000_000
MAX_ROWS = 2_000_000
MAX_CELL_CHARS = 2_000

#: Texts a user types: an export's title and marking, a search.
MAX_TITLE_CHARS = 200
MAX_SEARCH_CHARS = 200
MAX_SEARCH_WORDS = 12
