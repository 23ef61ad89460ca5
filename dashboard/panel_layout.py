"""Components of the country and post panels, built from the plain data of
:mod:`viewmodel.panels`. Every data string (names, titles, partners) goes in as text, never as
markup, so that it shows literally whatever it holds."""

from __future__ import annotations

import json
from dataclasses import replace

from dash import dcc, html

from dashboard import ids
from geodata.i18n import describe, format_day, format_money, format_month, format_number, t
from layers import palette
from viewmodel.asof import dated
from viewmodel.data import AtlasData
from viewmodel.extent import world_view
from viewmodel.panels import (
    CountryPanel,
    Place,
    PostPanel,
    PostSummary,
    ProgrammeRow,
    Programmes,
    ThemeCount,
    YearCount,
    country_panel_data,
    default_sort,
    post_panel_data,
    search_index,
    sort_rows,
)
from viewmodel.urlstate import ViewState

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
_COLUMN_KEYS = {"title": "panel.col.title", "type": "panel.col.type",
                "status": "panel.col.status", "start": "panel.col.dates",
                "budget": "panel.col.budget"}
_HEADERS = (("title",), ("status", "type"), ("start",), ("budget",))


def open_id(target: str) -> dict:
    """Id of a button opening the panel of ``target`` (an iso3 or ``post:<post_id>``)."""
    return {"type": ids.PANEL_OPEN, "target": target}


def search_options(data: AtlasData, lang: str) -> list[dict]:
    """Every choice of the search box: the name and whether it is a country or a post, as
    plain text. Built once per data load and language; the box itself receives only the
    choices matching what is typed (:func:`viewmodel.panels.search_matches`)."""
    return data.memo.get(("search_options", lang), lambda: [
        {
            "label": f"{e['label']} · {t('panel.kind.' + e['kind'], lang)}",
            "value": e["value"],
            "search": e["search"],
        }
        for e in search_index(data, lang)
    ])


def search_labels(lang: str) -> dict:
    """The search box's own words (every word a Dash dropdown shows of its own)."""
    keys = ("select_all", "deselect_all", "selected_count", "clear_search", "clear_selection")
    return {**{key: t(f"dropdown.{key}", lang) for key in keys},
            "search": t("panel.search.typing", lang),
            "no_options_found": t("panel.search.none", lang)}


def search_box(lang: str) -> html.Div:
    """The header's search box: type a country or a city (French or English, any accents).

    It starts without choices: the ~330 choices in the layout, and the dropdown indexing them,
    cost about 0.4 s of the first draw. Each keystroke asks the server for the matches."""
    return html.Div(
        dcc.Dropdown(
            id=ids.PANEL_SEARCH, options=[], value=None, clearable=False,
            searchable=True, search_order="original", maxHeight=360,
            placeholder=t("panel.search.placeholder", lang), labels=search_labels(lang),
            className="search-box",
        ),
        className="header-search", role="search",
        **{"aria-label": t("panel.search.label", lang)},
    )


def close_children(lang: str, key: str = "panel.close") -> list:
    """A close button's cross, and its name (catalogue ``key``) for screen readers."""
    return [html.Span("×", **{"aria-hidden": "true"}),
            html.Span(t(key, lang), className="sr-only")]


def country_list(data: AtlasData, lang: str) -> html.Details:
    """Every country from A to Z, each a button opening its panel: with the search box, the
    keyboard's way to any country (the map's shapes are out of the tab order). Folded, it is
    one tab stop.

    The buttons are drawn by the page (``assets/panel.js``, when the list is first unfolded)
    from the list's ``data-countries`` (iso3 and name pairs), and a click asks for the panel
    through ``data-request`` (``ids.PANEL_REQUEST``), as the panel's own open buttons do: as
    250 Dash components, the renderer visited each on every callback, and a filter change took
    half as long again to show (docs/performance.md)."""
    def listed() -> tuple[int, str]:
        countries = [[e["value"], e["label"]] for e in search_index(data, lang)
                     if e["kind"] == "country"]
        return len(countries), json.dumps(countries, ensure_ascii=False, separators=(",", ":"))

    # Built once per load and language: every page load draws it (half a page's cost).
    count, countries = data.memo.get(("country_list", lang), listed)
    return html.Details(
        [html.Summary(describe("countries.list", lang, {"n": count}),
                      className="country-list-summary"),
         html.Ul(className="country-list-items",
                 **{"data-countries": countries, "data-request": ids.PANEL_REQUEST})],
        id=ids.COUNTRY_LIST, className="country-list field")


def panel_column(lang: str, content: dict | None = None,
                 home: dict | None = None) -> html.Aside:
    """The panel: off screen until a country or a post is selected, or open on ``content``
    (:func:`panel_content`: the page's URL names a country or a post). ``home``: the map's home
    view as the browser checks it (:func:`viewmodel.extent.home_view`), the world's by
    default."""
    content = content or {}
    return html.Aside(
        [
            html.Div(
                [
                    html.Div([html.Div(content.get("kicker"), id=ids.PANEL_KICKER,
                                       className="panel-kicker"),
                              html.Button(close_children(lang), id=ids.PANEL_CLOSE,
                                          className="panel-close", n_clicks=0,
                                          title=t("panel.close", lang))],
                             className="panel-topline"),
                    html.H2(content.get("title"), id=ids.PANEL_TITLE, className="panel-title",
                            tabIndex=-1),
                    html.Div([html.Div(content.get("subtitle"), id=ids.PANEL_SUBTITLE,
                                       className="panel-subtitle"),
                              html.Button(content.get("zoom", t("panel.zoom.country", lang)),
                                          id=ids.PANEL_ZOOM,
                                          className="button button-zoom", n_clicks=0),
                              html.Button(t("panel.brief", lang), id=ids.PANEL_BRIEF,
                                          className="button button-zoom", n_clicks=0,
                                          title=t("panel.brief.hint", lang))],
                             className="panel-meta"),
                ],
                className="panel-head",
            ),
            html.Div(content.get("body"), id=ids.PANEL_BODY, className="panel-body"),
            # What the map brings into view is left to the panel callback's first answer, as
            # for any opening (assets/panel.js decides whether a link's arrival moves the map).
            dcc.Store(id=ids.PANEL_BOUNDS, data=None),
            dcc.Store(id=ids.REGION_FOCUS, data=None),
            dcc.Store(id=ids.MAP_EXTENT, data=None),
            dcc.Store(id=ids.LIVE_HIDEOUTS, data=None),
            dcc.Store(id=ids.URL_READ, data=False),
            dcc.Store(id=ids.URL_WRITTEN, data=None),
            dcc.Store(id=ids.MAP_TARGET, data=None),
            dcc.Store(id=ids.MAP_WORLD, data=home or world_view()),
            dcc.Store(id=ids.PANEL_SORT, data=default_sort()),
            dcc.Store(id=ids.PANEL_REQUEST, data=None),
            dcc.Store(id=ids.REQUEST_HANDLED, data=None),
        ],
        id=ids.PANEL, className="panel panel-open" if content else "panel",
        role="complementary", tabIndex=-1,
        **{"aria-label": t("panel.label", lang)},
    )


def _section(title: str, children, class_name: str = "") -> html.Section:
    return html.Section([html.H3(title, className="panel-section-title"), *children],
                        className=f"panel-section {class_name}".strip())


def _figure(value: str, label: str, figure_class: str = "") -> html.Div:
    return html.Div([html.Span(value, className="panel-figure-value"),
                     html.Span(label, className="panel-figure-label")],
                    className=f"panel-figure {figure_class}".strip())


def _chip(place: Place, lang: str, count: int | None = None, note: str = "") -> html.Button:
    """A country chip opening its panel, with its matching-programme count if given."""
    parts = [html.Span(place.name, className="chip-name")]
    title = place.name
    if note:
        parts.append(html.Span(note, className="chip-note"))
    if count is not None:
        parts.append(html.Span(format_number(count, lang), className="chip-count"))
        title += " — " + describe("panel.count.programmes", lang, {"n": count})
    return html.Button(parts, id=open_id(place.iso3), className="chip", n_clicks=0, title=title)


def _theme_chip(theme: ThemeCount) -> html.Span:
    return html.Span([html.Span(className="dot", style={"backgroundColor": theme.color}),
                      theme.short or theme.label], className="theme-chip", title=theme.label)


def _staff_line(post: PostSummary, lang: str) -> list:
    """"8 agents — police 4 · gendarmerie 3 · sécurité civile 1", each corps kept on one line."""
    corps = (("tooltip.police", post.staff_police), ("tooltip.gendarmerie", post.staff_gendarmerie),
             ("tooltip.civil_security", post.staff_civil_security))
    parts: list = [f"{format_number(post.staff_total, lang)} {t('panel.figure.staff', lang)} — "]
    for index, (key, n) in enumerate(corps):
        if index:
            parts.append(" · ")
        parts.append(html.Span(f"{t(key, lang)} {format_number(n, lang)}", className="nowrap"))
    return parts


def post_facts(post: PostSummary, lang: str) -> html.Dl:
    """Head title, opening year and staff by corps."""
    rows = []
    if post.head_title:
        rows += [html.Dt(t("panel.post.head", lang)), html.Dd(post.head_title)]
    rows += [html.Dt(t("panel.post.staff", lang)), html.Dd(_staff_line(post, lang),
                                                           className="post-staff")]
    if post.opened is not None:
        rows += [html.Dt(t("panel.post.opened", lang)), html.Dd(str(post.opened))]
    return html.Dl(rows, className="facts")


def _post_card(post: PostSummary, others: tuple[Place, ...], lang: str) -> list:
    """The covering post: its name (opening its panel), facts and the other countries."""
    title = describe("panel.post.title", lang, {"of_city": post.of_city})
    covers = ([html.Div(t("panel.post.also_covers", lang), className="field-label"),
               html.Div([_chip(p, lang) for p in others], className="chips")] if others
              else [html.P(t("panel.post.only_host", lang), className="muted")])
    return [
        html.Button([html.Span(title, className="post-link-title"),
                     html.Span(post.post_id, className="post-link-id")],
                    id=open_id(f"post:{post.post_id}"), className="post-link", n_clicks=0,
                    title=describe("panel.open_post", lang, {"of_city": post.of_city})),
        post_facts(post, lang),
        *covers,
    ]


def theme_bars(themes: tuple[ThemeCount, ...], lang: str) -> html.Div:
    """Programmes per theme as horizontal bars in the theme colours."""
    top = max((c.count for c in themes), default=1)
    rows = [
        html.Div(
            [html.Span(c.short or c.label, className="bar-label", title=c.label),
             html.Span(html.Span(className="bar-fill",
                                 style={"width": f"{100 * c.count / top:.1f}%",
                                        "backgroundColor": c.color}), className="bar-track"),
             html.Span(format_number(c.count, lang), className="bar-value")],
            className="bar-row", **{"data-theme": c.theme_id},
        )
        for c in themes
    ]
    return html.Div([*rows, html.P(t("panel.themes_note", lang), className="muted small")],
                    className="bars")


#: What plotly's default template gave the timeline and the figure below does not set itself:
#: the figure is a plain dict, so that a panel costs no ``go.Figure`` validation (about
#: 15 ms a panel) and sends no template (about 6 KB).
_AXIS = {"automargin": True, "linecolor": "white", "ticks": "", "zerolinecolor": "white",
         "zerolinewidth": 2}
_BAR_LINE = {"color": "#E5ECF6", "width": 0.5}


def timeline_figure(years: tuple[YearCount, ...], lang: str) -> dict:
    """Programmes running per year, stacked by status (completed, active, planned): a plotly
    figure as ``{"data": [...], "layout": {...}}``."""
    x = [y.year for y in years]
    shown = [s for s in ("completed", "active", "planned")
             if any(getattr(y, s) for y in years)]  # the legend lists only what is drawn
    top = max((sum(getattr(y, s) for s in shown) for y in years), default=0)
    data = []
    for status in shown:
        name = t(f"status.{status}", lang)
        data.append({"type": "bar", "x": x, "y": [getattr(y, status) for y in years],
                     "name": name,
                     "marker": {"color": palette.STATUS[status], "line": _BAR_LINE},
                     "hovertemplate": f"%{{x}} · {name} : %{{y}}<extra></extra>"})
    if any(y.budget for y in years):
        name = t("panel.budget_year", lang)
        data.append({"type": "scatter", "x": x, "y": [y.budget for y in years], "name": name,
                     "yaxis": "y2", "mode": "lines+markers",
                     "line": {"color": palette.BUDGET_LINE, "width": 2}, "marker": {"size": 5},
                     "customdata": [format_money(y.budget, lang) for y in years],
                     "hovertemplate": f"%{{x}} · {name} : %{{customdata}}<extra></extra>"})
    layout = {
        "yaxis2": {**_AXIS, "overlaying": "y", "side": "right", "showgrid": False,
                   "fixedrange": True, "rangemode": "tozero", "tickformat": ".2~s",
                   "tickfont": {"size": 11}},
        "barmode": "stack", "height": 170, "margin": {"l": 32, "r": 8, "t": 28, "b": 24},
        "font": {"family": FONT, "size": 13, "color": "#1b2430"},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)", "bargap": 0.15,
        "hovermode": "closest", "hoverlabel": {"align": "left"},
        "separators": ", " if lang == "fr" else ".,",  # the budget axis: 1,5M in French
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom",
                   "font": {"size": 13}, "traceorder": "normal"},
        "xaxis": {**_AXIS, "tickformat": "d", "showgrid": False, "fixedrange": True},
        "yaxis": {**_AXIS, "tickformat": "d", "gridcolor": "#e3e7eb", "fixedrange": True,
                  "rangemode": "tozero", "tick0": 0, "dtick": count_step(top)},
    }
    return {"data": data, "layout": layout}


def count_step(top: int, ticks: int = 5) -> int:
    """A whole step between the count axis's ticks (1, 2, 5, 10, 20, 50...): counts never get
    half steps, which a whole-number format would show as "0, 1, 1, 2, 2"."""
    step = 1
    while top / step > ticks:
        for factor in (2, 2.5, 2):  # 1, 2, 5, 10, 20, 50, 100...
            step = int(step * factor)
            if top / step <= ticks:
                break
    return step


def _sort_button(column: str, sort: dict, lang: str) -> html.Button:
    label = t(_COLUMN_KEYS[column], lang)
    arrow = ""
    if sort.get("column") == column:
        arrow = "▼" if sort.get("descending") else "▲"
    return html.Button([label, html.Span(arrow, className="sort-arrow")],
                       id={"type": ids.PANEL_SORT_BY, "column": column}, className="sort-button",
                       n_clicks=0, title=t("panel.sort", lang).format(column=label))


def _sort_header(columns: tuple[str, ...], sort: dict, lang: str) -> html.Th:
    """A header cell with one sort button per column it shows (status and type share one)."""
    aria = "none"
    if sort.get("column") in columns:
        aria = "descending" if sort.get("descending") else "ascending"
    return html.Th([_sort_button(c, sort, lang) for c in columns], className=f"col-{columns[0]}",
                   scope="col", **{"aria-sort": aria})


def _dates(row: ProgrammeRow, lang: str) -> html.Td:
    return html.Td([html.Span(format_month(row.start, lang)), html.Br(),
                    html.Span(format_month(row.end, lang))], className="col-start nowrap",
                   title=f"{format_day(row.start, lang)} – {format_day(row.end, lang)}")


def programme_table(rows: tuple[ProgrammeRow, ...], sort: dict, lang: str) -> html.Table:
    """The programmes, one row each: title (with themes and partners), status and type, dates,
    budget; every header sorts."""
    body = []
    for row in rows:
        title_cell = [html.Div(row.title, className="programme-title"),
                      html.Div([_theme_chip(c) for c in row.themes], className="theme-chips")]
        if row.description:
            title_cell.append(html.Div(row.description, className="programme-description"))
        if row.partners:
            title_cell.append(html.Div(t("panel.partners", lang).format(
                names=", ".join(row.partners)), className="partners"))
        budget = "—" if row.budget is None else format_money(row.budget, lang)
        body.append(html.Tr(
            [html.Td(title_cell, className="col-title"),
             html.Td([html.Div(t(f"status.{row.status}", lang),
                               className=f"status status-{row.status}"),
                      html.Div(t(f"type.{row.cooperation_type}", lang), className="muted")],
                     className="col-status"),
             _dates(row, lang),
             html.Td(budget, className="col-budget num")],
            **{"data-programme": row.programme_id},
        ))
    headers = [_sort_header(columns, sort, lang) for columns in _HEADERS]
    return html.Table([html.Thead(html.Tr(headers)), html.Tbody(body)],
                      className="programme-table")


def programmes_section(programmes: Programmes, sort: dict, lang: str, empty_key: str) -> list:
    """Figures, empty states, theme bars, timeline and table of the matching programmes."""
    figures = html.Div(
        [_figure(format_number(programmes.count, lang), t("panel.figure.programmes", lang),
                 "figure-programmes"),
         _figure(format_money(programmes.budget, lang), t("panel.figure.budget", lang),
                 "figure-budget")],
        className="panel-figures",
    )
    notes = []
    if programmes.count == 0:
        text = (t("panel.empty.filtered", lang).format(n=format_number(programmes.outside, lang))
                if programmes.outside else t(empty_key, lang))
        return [_section(t("panel.section.programmes", lang),
                         [html.P(text, className="empty-state")], "section-programmes")]
    if programmes.outside:
        notes.append(html.P(describe("panel.outside", lang, {"n": programmes.outside}),
                            className="muted outside-note"))
    notes.append(html.P(t("panel.budget_note", lang), className="muted small"))
    return [
        _section(t("panel.section.programmes", lang), [figures, *notes], "section-programmes"),
        _section(t("panel.section.themes", lang), [theme_bars(programmes.themes, lang)],
                 "section-themes"),
        _section(t("panel.section.timeline", lang), [dcc.Graph(
            figure=timeline_figure(programmes.years, lang), className="timeline",
            config={"displayModeBar": False, "responsive": True, "scrollZoom": False})],
            "section-timeline"),
        _section(t("panel.section.list", lang), [programme_table(programmes.rows, sort, lang)],
                 "section-list"),
    ]


def _status_badge(status: str, lang: str) -> html.Span:
    return html.Span([html.Span(className="swatch swatch-square",
                                style={"backgroundColor": palette.COVERAGE[status]}),
                      t(f"coverage.{status}", lang)], className=f"badge badge-{status}")


def country_panel(panel: CountryPanel, sort: dict, lang: str) -> dict:
    """Kicker, title, subtitle and body of a country panel."""
    post = panel.post
    if panel.status == "host":
        coverage = [html.P(describe("panel.coverage.host", lang, {"of_city": post.of_city}))]
    elif panel.status == "regional":
        coverage = [html.P(describe("panel.coverage.regional", lang,
                                    {"of_city": post.of_city, "country": post.host.name}))]
    else:
        coverage = [html.P(t("panel.coverage.none", lang), className="empty-state")]
    body = [html.Section(coverage, className="panel-section section-coverage")]
    if post is not None:
        body.append(_section(t("panel.section.post", lang),
                             _post_card(post, panel.other_countries, lang), "section-post"))
    body += programmes_section(panel.programmes, sort, lang, "panel.empty.country")
    return {
        "kicker": t("panel.country.kicker", lang),
        "title": panel.place.name,
        "subtitle": [html.Span(panel.region), _status_badge(panel.status, lang)],
        "body": body,
    }


def post_panel(panel: PostPanel, sort: dict, lang: str) -> dict:
    """Kicker, title, subtitle and body of a post panel."""
    post = panel.post
    host_note = t("panel.post.host", lang)
    chips = [_chip(c.place, lang, c.count, host_note if c.role == "resident" else "")
             for c in panel.countries]
    figures = html.Div(
        [_figure(format_number(post.staff_total, lang), t("panel.figure.staff", lang),
                 "figure-staff"),
         _figure(format_number(len(panel.countries), lang), t("panel.figure.countries", lang),
                 "figure-countries")],
        className="panel-figures",
    )
    body = [
        _section(t("panel.section.post", lang), [figures, post_facts(post, lang)], "section-post"),
        _section(t("panel.section.area", lang), [html.Div(chips, className="chips")],
                 "section-area"),
        *programmes_section(panel.programmes, sort, lang, "panel.empty.post"),
    ]
    return {
        "kicker": f"{t('panel.post.kicker', lang)} · {post.post_id}",
        "title": describe("panel.post.title", lang, {"of_city": post.of_city}),
        "subtitle": [html.Span(f"{post.host.name} · {panel.region}")],
        "body": body,
    }


def _sorted(programmes: Programmes, sort: dict) -> Programmes:
    rows = sort_rows(programmes.rows, sort.get("column", ""), bool(sort.get("descending")))
    return replace(programmes, rows=rows)


def panel_content(data: AtlasData, view: ViewState, sort: dict | None) -> dict | None:
    """The open panel for the view's post or country (the post wins), or None when neither
    names something in the data: ``kicker``, ``title``, ``subtitle``, ``body``, ``focus``
    (``{"key", "bounds"}``: what the map brings into view)
    and the zoom button's ``zoom`` text."""
    if not (view.post or view.country):
        return None  # nothing to show: the network is not dated for nothing (an as-of change)
    sort = sort or default_sort()
    lang = view.lang
    data = dated(data, view)
    if view.post and view.post in set(data.network.posts["post_id"]):
        panel = post_panel_data(data, view, view.post)
        content = post_panel(replace(panel, programmes=_sorted(panel.programmes, sort)), sort,
                             lang)
        return {**content, "focus": {"key": "post:" + view.post, "bounds": panel.bounds},
                "zoom": t("panel.zoom.post", lang)}
    if view.country and view.country in data.names:
        panel = country_panel_data(data, view, view.country)
        content = country_panel(replace(panel, programmes=_sorted(panel.programmes, sort)), sort,
                                lang)
        return {**content, "focus": {"key": "country:" + view.country, "bounds": panel.bounds},
                "zoom": t("panel.zoom.country", lang)}
    return None
