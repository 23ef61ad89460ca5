"""The usual approach, for comparison: a Dash app whose filter callback rebuilds a Plotly
choropleth of the same 250 country shapes and sends the whole figure.

It reads the same data, offers the same filter controls (same component ids, so the benchmark
sends it the same payloads), filters with the same :mod:`geodata.filters` functions and is
served the same way (Flask-Compress, gunicorn); only the map is done the usual way::

    ATLAS_DATA_DIR=geodata/demo gunicorn -w 2 'benchmarks.baseline:wsgi_server()'
"""

from __future__ import annotations

import json
from pathlib import Path

import dash
import plotly.graph_objects as go
from dash import Input, Output, dcc, html
from flask_compress import Compress

from dashboard import ids
from dashboard.settings import Settings
from geodata.countries import load_countries
from geodata.filters import country_totals, coverage_table, kpis, programme_mask
from geodata.i18n import format_money, format_number
from geodata.loading import load_network
from geodata.network import BENEFICIARIES, COOPERATION_TYPES, STATUSES, Network
from layers import palette
from viewmodel.data import AtlasData, build_atlas_data
from viewmodel.store import DataStore
from viewmodel.urlstate import CONTROL_KEYS, ViewState, view_from_controls

REPO = Path(__file__).resolve().parent.parent
COUNTRIES_GEOJSON = REPO / "geodata" / "data" / "countries.geojson"
GRAPH_ID = "baseline-map"
KPI_IDS = (ids.KPI_POSTS, ids.KPI_STAFF, ids.KPI_COVERED, ids.KPI_PROGRAMMES, ids.KPI_BUDGET)
COVERAGE_CODES = {"none": 0, "regional": 1, "host": 2}


def load_geojson(path: Path = COUNTRIES_GEOJSON) -> dict:
    """The shipped country shapes (250 features with ``properties.iso3``)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def baseline_figure(geojson: dict, data: AtlasData, view: ViewState) -> go.Figure:
    """The choropleth for ``view``: every country's shape with its value, rebuilt each time."""
    iso3 = [feature["properties"]["iso3"] for feature in geojson["features"]]
    names = [data.name(code, view.lang) for code in iso3]
    if view.mode == "programmes":
        mask = programme_mask(data.filter_index, view.filters, data.regions)
        counts, budgets = country_totals(data.filter_index, view.filters, data.regions,
                                         mask=mask)
        values = budgets if view.metric == "budget" else counts
        z = [values.get(code, 0) for code in iso3]
        colorscale = [[0.0, palette.NONE], [1e-9, palette.SEQUENTIAL[0]],
                      [1.0, palette.SEQUENTIAL[-1]]]
    else:
        status = coverage_table(data.network)["status"]
        z = [COVERAGE_CODES[status.get(code, "none")] for code in iso3]
        colorscale = [[0.0, palette.COVERAGE["none"]], [0.5, palette.COVERAGE["regional"]],
                      [1.0, palette.COVERAGE["host"]]]
    figure = go.Figure(
        go.Choropleth(
            geojson=geojson, featureidkey="properties.iso3", locations=iso3, z=z, text=names,
            colorscale=colorscale, zmin=0, marker_line_width=0.4, marker_line_color="#ffffff",
            hovertemplate="%{text}: %{z}<extra></extra>",
        )
    )
    figure.update_geos(visible=False, projection_type="natural earth", showocean=True,
                       oceancolor=palette.SEA, showframe=False)
    figure.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, uirevision="map")
    return figure


def baseline_kpi_texts(data: AtlasData, view: ViewState) -> list[str]:
    """The header figures, as the real app shows them."""
    figures = kpis(data.filter_index, view.filters, data.regions)
    lang = view.lang
    return [format_number(figures.posts, lang), format_number(figures.staff, lang),
            format_number(figures.covered_countries, lang), format_number(figures.programmes, lang),
            format_money(figures.budget_eur, lang)]


def _layout(data: AtlasData, geojson: dict) -> html.Div:
    themes = list(data.network.themes["theme_id"])
    regions = list(data.regions.ids)
    programmes = data.network.programmes
    first = int(programmes["start_date"].dt.year.min())
    last = int(programmes["end_date"].dt.year.max())
    return html.Div([
        dcc.Store(id=ids.SELECTED_COUNTRY, data=None),
        dcc.Store(id=ids.LANG, data="fr"),
        html.Div([html.Span(id=kpi_id) for kpi_id in KPI_IDS]),
        dcc.RadioItems(id=ids.MODE, options=["coverage", "programmes"], value="coverage"),
        dcc.RadioItems(id=ids.METRIC, options=["count", "budget"], value="count"),
        dcc.Checklist(id=ids.LAYER_TOGGLES, options=["posts", "links"], value=["posts", "links"]),
        dcc.Dropdown(id=ids.control("themes"), options=themes, value=[], multi=True),
        dcc.Dropdown(id=ids.control("types"), options=list(COOPERATION_TYPES), value=[],
                     multi=True),
        dcc.Checklist(id=ids.control("status"), options=list(STATUSES), value=["active"]),
        dcc.Dropdown(id=ids.control("regions"), options=regions, value=[], multi=True),
        dcc.RangeSlider(id=ids.control("years"), min=first, max=last, step=1,
                        value=[first, last]),
        dcc.Dropdown(id=ids.control("beneficiaries"), options=list(BENEFICIARIES), value=[],
                     multi=True),
        dcc.Dropdown(id=ids.control("partners"), options=[], value=[], multi=True),
        dcc.Graph(id=GRAPH_ID, figure=baseline_figure(geojson, data, ViewState()),
                  style={"height": "80vh"}),
    ])


def create_baseline_app(settings: Settings | None = None, *,
                        network: Network | None = None) -> dash.Dash:
    """The baseline app on the data named by ``settings`` (or an already loaded ``network``)."""
    settings = settings or Settings.load()
    countries = load_countries()
    if network is None:
        network = load_network(Path(settings.data_dir), countries)
    data = build_atlas_data(network, countries)
    vocabulary = DataStore(data).vocabulary()
    geojson = load_geojson()
    app = dash.Dash(__name__, serve_locally=True, update_title=None)
    app.server.config["COMPRESS_MIMETYPES"] = ["text/html", "text/css", "application/javascript",
                                               "text/javascript", "application/json"]
    Compress(app.server)
    app.layout = _layout(data, geojson)

    @app.callback(
        Output(GRAPH_ID, "figure"),
        *[Output(kpi_id, "children") for kpi_id in KPI_IDS],
        inputs=dict(controls={key: Input(ids.control(key), "value") for key in CONTROL_KEYS},
                    selected=Input(ids.SELECTED_COUNTRY, "data"), lang=Input(ids.LANG, "data")),
        prevent_initial_call=True,
    )
    def update_figure(controls, selected, lang):
        view = view_from_controls(controls, vocabulary, country=selected, lang=lang)
        return (baseline_figure(geojson, data, view), *baseline_kpi_texts(data, view))

    return app


def wsgi_server():
    """Gunicorn factory: ``gunicorn 'benchmarks.baseline:wsgi_server()'`` (ATLAS_DATA_DIR)."""
    return create_baseline_app().server
