"""Date pickers follow the page's language, not the browser's: their month names come from the
vendored date-fns locale of ``<html lang>``, their placeholder and formats from the catalogue."""

from __future__ import annotations

import dash
import pytest
from dash import dcc, html

from dashboard.app import ASSETS_DIR
from dashboard.layout import date_picker_texts


def _picker_app(lang: str) -> dash.Dash:
    app = dash.Dash(__name__, assets_folder=str(ASSETS_DIR), serve_locally=True)
    app.index_string = app.index_string.replace("<html>", f'<html lang="{lang}">', 1)
    app.layout = html.Div([dcc.DatePickerSingle(id="when", **date_picker_texts(lang),
                                                initial_visible_month="2026-11-01"),
                           html.Div(id="map-wrap-absent")])
    return app


@pytest.mark.parametrize(("lang", "month", "placeholder"), [
    ("fr", "novembre", "Choisir une date"), ("en", "November", "Choose a date")])
def test_the_calendar_speaks_the_pages_language(dash_duo, lang, month, placeholder):
    """Whatever the browser's own language (English here), the French page's calendar says
    "novembre" and the English one "November"; the placeholder is the catalogue's."""
    dash_duo.start_server(_picker_app(lang))
    field = dash_duo.find_element("#when")
    assert field.get_attribute("placeholder") == placeholder
    field.click()
    dash_duo._wait_for(lambda d: month in d.find_element("tag name", "body").text, timeout=10,
                       msg=f"{month!r} not shown: " + dash_duo.find_element("body").text[:300])
