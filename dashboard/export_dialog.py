"""The Export button and its dialog (a native ``<dialog>``: modal, Escape closes it, focus
stays inside), with the map options, the programme downloads and a progress indicator. The
formats offered are the registry's (:mod:`exports.formats.registry`): snapshot formats
as the format choice, each table format as a download button."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.settings import Settings
from exports.formats.base import INCLUDE_ALL, Kind
from exports.formats.registry import of_kind
from exports.page import SIZES
from geodata.i18n import t
from geodata.limits import MAX_TITLE_CHARS

HEADING_ID = "export-dialog-heading"
INCLUDE_ORDER = ("legend", "kpis", "filters")
#: What the map of an export shows: the view on screen, the selected regions, the world.
EXTENTS = ("view", "regions", "world")
#: The dialog's on/off options: country names on the map, the PowerPoint map as shapes.
OPTIONS = ("labels", "vector")
#: One page, or a briefing pack (this view, its regions, a brief per country in view).
WHATS = ("page", "pack")


def _choice(label: str, control) -> html.Fieldset:
    return html.Fieldset([html.Legend(label, className="export-label"), control],
                         className="export-field")


def export_dialog(lang: str, marking: str | None = None) -> html.Div:
    """The button and its (closed) dialog. ``marking`` prefills the marking line (default: the
    ``export_marking`` setting)."""
    if marking is None:
        marking = Settings.load().export_marking
    snapshot_formats = of_kind(Kind.SNAPSHOT)
    map_options = html.Div(
        [
            _choice(t("export.what", lang), dcc.RadioItems(
                id=ids.EXPORT_WHAT, value="page", className="segmented", inline=True,
                options=[{"label": t(f"export.what.{w}", lang), "value": w} for w in WHATS])),
            _choice(t("export.format", lang), dcc.RadioItems(
                id=ids.EXPORT_FORMAT, value=snapshot_formats[0].id, className="segmented",
                inline=True, options=[{"label": t(fmt.label_key, lang), "value": fmt.id}
                                      for fmt in snapshot_formats])),
            _choice(t("export.size", lang), dcc.RadioItems(
                id=ids.EXPORT_SIZE, value="16:9", className="segmented", inline=True,
                options=[{"label": t(f"export.size.{s}", lang), "value": s} for s in SIZES])),
            _choice(t("export.scale", lang), dcc.RadioItems(
                id=ids.EXPORT_SCALE, value=1, className="segmented", inline=True,
                options=[{"label": t(f"export.scale.{s}", lang), "value": s} for s in (1, 2)])),
            html.Div([
                html.Label(t("export.title", lang), htmlFor=ids.EXPORT_TITLE,
                           className="export-label"),
                dcc.Input(id=ids.EXPORT_TITLE, type="text", value="", maxLength=MAX_TITLE_CHARS,
                          className="export-input", autoComplete="off"),
            ], className="export-field"),
            html.Div([
                html.Label(t("export.subtitle", lang), htmlFor=ids.EXPORT_SUBTITLE,
                           className="export-label"),
                dcc.Input(id=ids.EXPORT_SUBTITLE, type="text", value="", maxLength=200,
                          className="export-input", autoComplete="off"),
            ], className="export-field"),
            html.Div([
                html.Label(t("export.notes", lang), htmlFor=ids.EXPORT_NOTES,
                           className="export-label"),
                dcc.Textarea(id=ids.EXPORT_NOTES, value="", maxLength=2000, rows=2,
                             className="export-input"),
            ], className="export-field"),
            _choice(t("export.extent", lang), dcc.RadioItems(
                id=ids.EXPORT_EXTENT, value="view", className="segmented", inline=True,
                options=[{"label": t(f"export.extent.{e}", lang), "value": e}
                         for e in EXTENTS])),
            _choice(t("export.options", lang), dcc.Checklist(
                id=ids.EXPORT_OPTIONS, value=["labels"], className="checks", inline=True,
                options=[{"label": t(f"export.options.{o}", lang), "value": o}
                         for o in OPTIONS])),
            _choice(t("export.include", lang), dcc.Checklist(
                id=ids.EXPORT_INCLUDE, value=list(INCLUDE_ORDER), className="checks",
                inline=True,
                options=[{"label": t(f"export.include.{p}", lang), "value": p}
                         for p in INCLUDE_ORDER if p in INCLUDE_ALL])),
            html.Div([
                html.Label(t("export.marking", lang), htmlFor=ids.EXPORT_MARKING,
                           className="export-label"),
                dcc.Input(id=ids.EXPORT_MARKING, type="text", value=marking, maxLength=120,
                          placeholder=t("export.marking.hint", lang),
                          className="export-input", autoComplete="off"),
            ], className="export-field"),
        ],
        className="export-options",
    )
    actions = html.Div(
        [
            # An export waiting its turn says its place here, beside the button it came from.
            html.Div(id=ids.EXPORT_QUEUE, className="export-queue", hidden=True, role="status",
                     **{"aria-live": "polite"}),
            html.Button(t("export.cancel", lang), id=ids.EXPORT_CANCEL, n_clicks=0,
                        className="button", type="button"),
            html.Button(t("export.download", lang), id=ids.EXPORT_CONFIRM, n_clicks=0,
                        className="button button-primary", type="button"),
        ],
        className="export-actions",
    )
    data_section = html.Section(
        [
            html.H3(t("export.data", lang), className="export-label"),
            html.Div([
                html.Button(t(fmt.label_key, lang), id=ids.export_table_button(fmt.id),
                            n_clicks=0, className="button", type="button")
                for fmt in of_kind(Kind.TABLE)
            ], className="export-data-buttons"),
        ],
        className="export-data",
    )
    dialog = html.Dialog(
        [
            html.Div(
                [
                    html.H2(t("export.dialog_title", lang), id=HEADING_ID,
                            className="export-heading"),
                    html.Button("×", id=ids.EXPORT_CLOSE, n_clicks=0, type="button",
                                className="export-close", title=t("export.close", lang),
                                **{"aria-label": t("export.close", lang)}),
                ],
                className="export-head",
            ),
            html.Div(
                [
                    html.Figure(
                        [html.Figcaption(t("export.preview", lang), className="export-label"),
                         html.Img(id=ids.EXPORT_PREVIEW, alt=t("export.preview.alt", lang),
                                  style={"width": "100%", "border": "1px solid #d5dbe1",
                                         "minHeight": "4rem"})],
                        className="export-preview", style={"margin": "0"},
                    ),
                    map_options,
                    actions,
                    html.Progress(id=ids.EXPORT_PROGRESS, value="0", max="1", hidden=True,
                                  style={"width": "100%"},
                                  **{"aria-label": t("export.progress", lang)}),
                    data_section,
                    dcc.Loading(
                        html.Div(id=ids.EXPORT_STATUS, className="export-status", role="status",
                                 **{"aria-live": "polite"}),
                        type="dot", color="#08519c", className="export-loading",
                    ),
                ],
                className="export-body",
            ),
        ],
        id=ids.EXPORT_DIALOG,
        className="export-dialog",
        **{"aria-labelledby": HEADING_ID},
    )
    return html.Div(
        [
            html.Button(t("export.button", lang), id=ids.EXPORT_OPEN, n_clicks=0,
                        className="button export-open", type="button",
                        **{"aria-haspopup": "dialog", "aria-controls": ids.EXPORT_DIALOG}),
            dialog,
            dcc.Download(id=ids.EXPORT_DOWNLOAD),
        ],
        id=ids.EXPORT,
        className="export",
    )
