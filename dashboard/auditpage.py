"""The audit trail for editors: ``/admin/audit``, a table of the events filtered by day, user
and action (a plain page: a GET form, no script), newest first, at most ``MAX_ROWS``.
Viewers get 403 (every ``/admin`` route is the editors')."""

from __future__ import annotations

import json
from datetime import date

from flask import Flask, Response, request
from markupsafe import escape

from accounts.audit import ACTIONS
from dashboard.auth import current_user
from dashboard.language import plain_response, request_lang
from dashboard.settings import Settings
from geodata.i18n import describe, t

PATH = "/admin/audit"
MAX_ROWS = 500
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#1f2a36}
h1{font-size:1.4rem;margin:0 0 .8rem}form{display:flex;gap:.8rem;flex-wrap:wrap;
align-items:end;margin-bottom:1rem}label{display:flex;flex-direction:column;font-size:.85rem;
gap:.2rem}input,select,button{font:inherit;padding:.3rem .4rem}table{border-collapse:collapse;
width:100%;font-size:.85rem}th,td{border-bottom:1px solid #d9d9d9;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f1}td.details{font-family:ui-monospace,
monospace;word-break:break-all}p.count{color:#4a5563}a{color:#08519c}
"""


def _details(event: dict) -> str:
    fields = {k: v for k, v in event.items() if k not in ("time", "user", "action")}
    return " · ".join(f"{key}: {value if isinstance(value, str) else json.dumps(value)}"
                      for key, value in fields.items())


def audit_page(events: list[dict], lang: str, *, since: str, user: str, action: str,
               total: int) -> str:
    """The page's HTML (every value escaped)."""
    def text(key: str) -> str:
        return str(escape(t(key, lang)))

    options = [f'<option value="">{text("audit.any")}</option>'] + [
        f'<option value="{name}"{" selected" if name == action else ""}>'
        f'{text("audit.action." + name)}</option>' for name in ACTIONS]
    rows = "".join(
        f"<tr><td>{escape(e.get('time', ''))}</td><td>{escape(e.get('user') or '-')}</td>"
        f"<td>{escape(t('audit.action.' + e['action'], lang) if e.get('action') in ACTIONS else e.get('action', ''))}</td>"  # noqa: E501
        f'<td class="details">{escape(_details(e))}</td></tr>' for e in events)
    count = describe("audit.count", lang, {"n": total})
    if total > len(events):
        count += " " + describe("audit.truncated", lang, {"n": len(events)})
    count = escape(count)
    body = (f"<table><thead><tr><th>{text('audit.column.time')}</th>"
            f"<th>{text('audit.column.user')}</th><th>{text('audit.column.action')}</th>"
            f"<th>{text('audit.column.details')}</th></tr></thead><tbody>{rows}</tbody></table>"
            if events else f"<p>{text('audit.none')}</p>")
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{text('audit.title')}</title><style>{STYLE}</style></head><body>"
            f"<h1>{text('audit.title')}</h1>"
            f'<p><a href="/?lang={lang}">{text("audit.back")}</a></p>'
            f'<form method="get" action="{PATH}"><input type="hidden" name="lang" value="{lang}">'
            f'<label>{text("audit.since")}<input type="date" name="since" '
            f'value="{escape(since)}"></label>'
            f'<label>{text("audit.user")}<input type="text" name="user" maxlength="64" '
            f'value="{escape(user)}"></label>'
            f'<label>{text("audit.action")}<select name="action">{"".join(options)}</select>'
            f'</label><button type="submit">{text("audit.filter")}</button></form>'
            f'<p class="count">{count}</p>{body}</body></html>')


def install_audit_page(server: Flask, settings: Settings) -> None:
    """Add ``/admin/audit``."""

    @server.get(PATH)
    def admin_audit():
        lang = request_lang(settings.lang)
        if not current_user().is_editor:
            return plain_response("http.editors_only", 403, settings.lang)
        trail = server.extensions.get("atlas_audit")
        if trail is None or not trail.enabled:
            return plain_response("audit.off", 404, settings.lang)
        since_text = request.args.get("since", "")[:10]
        try:
            since = date.fromisoformat(since_text) if since_text else None
        except ValueError:
            since, since_text = None, ""
        user = request.args.get("user", "")[:64].strip()
        action = request.args.get("action", "")
        action = action if action in ACTIONS else ""
        events = trail.events(since=since, user=user or None, action=action or None)
        shown = list(reversed(events))[:MAX_ROWS]
        html = audit_page(shown, lang, since=since_text, user=user, action=action,
                          total=len(events))
        response = Response(html, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        return response
