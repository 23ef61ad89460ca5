"""``atlas audit``: read the audit trail (``ATLAS_AUDIT_LOG``; see :mod:`accounts.audit`).

    atlas audit                              # every event, oldest first
    atlas audit --since 2026-12-01 --user awa
    atlas audit --action export --json       # one JSON object per line
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path

from accounts.audit import ACTIONS, AuditLog
from cli.commands import guarded

#: The fields shown first on a line, in this order (the others follow by name).
LEADING = ("method", "reason", "format", "what", "version", "kind", "value", "size", "pages",
           "view")


class UsageError(ValueError):
    """Bad input, reported as ``atlas audit: error: ...`` with exit code 2."""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date like 2026-12-01, got {text!r}") from None


def line_of(event: dict) -> str:
    """One event as a line of text: time, user, action, then its fields."""
    fields = {key: value for key, value in event.items()
              if key not in ("time", "user", "action")}
    order = [key for key in LEADING if key in fields] + sorted(
        key for key in fields if key not in LEADING)
    details = " ".join(f"{key}={json.dumps(fields[key], ensure_ascii=False)}"
                       if not isinstance(fields[key], str) else f"{key}={fields[key]}"
                       for key in order)
    return f"{event['time']}  {event.get('user') or '-'}  {event['action']}  {details}".rstrip()


def cmd_audit(args: argparse.Namespace) -> int:
    """Print the events matching the options."""
    path = args.log or args.settings_log
    if not path:
        raise UsageError("no audit trail: pass --log PATH or set ATLAS_AUDIT_LOG")
    if not Path(path).exists():
        raise UsageError(f"no audit trail at {path} yet")
    events = AuditLog(path).events(since=args.since, user=args.user, action=args.action)
    for event in events:
        print(json.dumps(event, ensure_ascii=False) if args.json else line_of(event))
    return 0


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``audit`` on an ``add_subparsers()`` object."""
    parser = subparsers.add_parser("audit", help="read the audit trail (who did what, when)",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--since", type=_day, default=None, metavar="DATE",
                        help="events from this day on (UTC, YYYY-MM-DD)")
    parser.add_argument("--user", default=None, metavar="NAME", help="one user's events")
    parser.add_argument("--action", choices=ACTIONS, default=None, help="one kind of event")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--log", default=None, metavar="PATH",
                        help="the audit trail (default: $ATLAS_AUDIT_LOG)")
    parser.set_defaults(func=guarded(cmd_audit, "audit", (UsageError, OSError)),
                        settings_log=os.environ.get("ATLAS_AUDIT_LOG", ""))
    return parser
