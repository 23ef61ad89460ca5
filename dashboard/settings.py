"""Settings in one place. Order: explicit argument > ``ATLAS_*`` environment variable > default.

| variable            | default                 | meaning                                        |
|---------------------|-------------------------|------------------------------------------------|
| ATLAS_DATA_DIR      | the shipped demo data   | folder of CSV files or an .xlsx workbook       |
| ATLAS_HOST          | 127.0.0.1               | bind address of ``atlas run``                  |
| ATLAS_PORT          | 8050                    | port of ``atlas run``                          |
| ATLAS_DEBUG         | 0                       | Dash debug mode (development only)             |
| ATLAS_TILE_URL      | (none)                  | optional internal tile server URL template     |
| ATLAS_TILE_ATTRIBUTION | (none)               | attribution text for that tile layer           |
| ATLAS_LANG          | fr                      | default interface language (fr or en)          |
| ATLAS_EXPORT_MARKING | (none)                 | protective marking printed on every exported   |
|                     |                         | map and slide, e.g. "DIFFUSION RESTREINTE"     |
| ATLAS_PUBLIC_URL    | (none)                  | the atlas's public address: exports link the   |
|                     |                         | view they show (notes, PDF link) under it      |
| ATLAS_JOBS_DIR      | <temp>/atlas-jobs       | disk cache of the background jobs (briefing    |
|                     |                         | packs), shared by the workers of one machine   |
| ATLAS_USERS_FILE    | (none: no login)        | JSON users file (``atlas users``): turns on    |
|                     |                         | HTTP Basic auth; gives roles in proxy mode     |
| ATLAS_AUTH_HEADER   | (none)                  | trusted reverse-proxy header naming the user   |
|                     |                         | (e.g. X-Remote-User): single sign-on mode      |
| ATLAS_DATA_ROOT     | (none: updates off)     | writable folder of published data versions;    |
|                     |                         | served instead of ATLAS_DATA_DIR once it holds |
|                     |                         | one (see ``dataversions/versions.py``)         |
| ATLAS_STORE_DIR     | <data root>/store, else | validated data kept once in a columnar file    |
|                     | <temp>/atlas-store-UID  | per content digest, read by every worker       |
|                     |                         | (``geodata/stored.py``); ``off``: validate at  |
|                     |                         | every load                                     |
| ATLAS_TRUSTED_PROXIES | (none)                | addresses or networks (comma-separated) of the |
|                     |                         | reverse proxies: only their X-Forwarded-For and|
|                     |                         | ATLAS_AUTH_HEADER are believed (required with  |
|                     |                         | ATLAS_AUTH_HEADER)                             |
| ATLAS_REDIS_URL     | (none: per worker)      | Redis shared by the workers for the login rate |
|                     |                         | limits, e.g. redis://localhost:6379/0; also    |
|                     |                         | the Celery broker of the background jobs       |
| ATLAS_EXPORT_WORKERS | 2                      | exports made at once on one host (the others   |
|                     |                         | wait their turn, their place shown)            |
| ATLAS_EXPORT_QUEUE  | 6                       | exports that may wait their turn on one host;  |
|                     |                         | one more is told the server is busy            |
| ATLAS_MAX_UPLOAD_MB | 20                      | largest data upload accepted, in megabytes     |
| ATLAS_GROUPS_HEADER | (none)                  | proxy mode: the header naming the user's groups|
|                     |                         | (e.g. X-Remote-Groups), mapped to scopes by    |
|                     |                         | ATLAS_SCOPES_FILE                              |
| ATLAS_SCOPES_FILE   | (none)                  | JSON file: group -> scope (``accounts.scopes``)|
| ATLAS_AUDIT_LOG     | (none: no audit trail)  | the audit trail (JSON lines, rotated), e.g.    |
|                     |                         | /var/log/atlas/audit.jsonl                     |
| ATLAS_EXPORT_TRACE  | 1                       | with access control on, every export names who |
|                     |                         | made it and when (footer, file metadata); 0:   |
|                     |                         | off                                            |
| ATLAS_TODAY         | (none: the system clock) | the day the atlas takes as today (ISO date):  |
|                     |                         | the date a publish gives undated data, and the |
|                     |                         | reference of the status checks of undated data |
| ATLAS_ANSWERS_KEPT  | 512                     | map answers each web worker keeps per data     |
|                     |                         | version (``dashboard/answers.py``, with up to  |
|                     |                         | 32 page layouts); 0: none of either            |

The clock is read in one place, :meth:`Settings.current_date`, by the commands and routes that
need it (a publish, loading undated data); nothing reads it in the middle of a computation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from geodata.loading import DEMO_DIR

DEMO_DATA_DIR = DEMO_DIR  # the shipped demo data (geodata.loading.DEMO_DIR)
ENV_PREFIX = "ATLAS_"


def _as_bool(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the app and the CLI."""

    data_dir: Path = DEMO_DATA_DIR
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    tile_url: str = ""
    tile_attribution: str = ""
    lang: str = "fr"
    export_marking: str = ""
    public_url: str = ""
    jobs_dir: str = ""
    users_file: str = ""
    auth_header: str = ""
    trusted_proxies: str = ""
    redis_url: str = ""
    export_workers: int = 2
    export_queue: int = 6
    data_root: str = ""
    store_dir: str = ""
    max_upload_mb: int = 20
    today: date | None = None
    groups_header: str = ""
    scopes_file: str = ""
    audit_log: str = ""
    export_trace: bool = True
    answers_kept: int = 512

    @classmethod
    def load(cls, **overrides) -> Settings:
        """Combine explicit overrides (non-None values) with ``ATLAS_*`` variables and defaults."""
        values = {}
        for f in fields(cls):
            if overrides.get(f.name) is not None:
                values[f.name] = overrides[f.name]
                continue
            raw = os.environ.get(ENV_PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            if f.type in ("bool", bool):
                values[f.name] = _as_bool(raw)
            elif f.type in ("int", int):
                values[f.name] = int(raw)
            else:
                values[f.name] = raw
        if isinstance(values.get("today"), str):
            try:
                values["today"] = date.fromisoformat(values["today"].strip())
            except ValueError as error:
                raise ValueError(f"ATLAS_TODAY must be an ISO date (YYYY-MM-DD): {error}") from None
        if "data_dir" in values:
            values["data_dir"] = Path(values["data_dir"])
        if values.get("lang") not in (None, "fr", "en"):
            values["lang"] = "fr"
        return cls(**values)

    def current_date(self) -> date:
        """Today for the atlas: ``today`` when set, else the system clock's date."""
        return self.today or date.today()

    @property
    def is_demo(self) -> bool:
        """True when the shipped demonstration data is served."""
        return Path(self.data_dir).resolve() == DEMO_DATA_DIR
