"""Time in headless Chromium: the as-of date (URL ``asof``, its date picker) and the changes
mode (``mode=changes&since=...``), on the shipped demo data and its earlier snapshot."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

from selenium.webdriver.common.by import By

from geodata.i18n import format_day
from layers import palette
from tests.browser.conftest import choose_option, count, fill_of, severe_logs
from viewmodel.asof import dated
from viewmodel.filters import filter_state
from viewmodel.mapview import map_view
from viewmodel.urlstate import ViewState


def _wait_for_map(dash_duo) -> None:
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="country shapes not drawn")


def _plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_a_link_opens_on_a_date_and_the_picker_goes_back_to_the_data_date(
        dash_duo, demo_app, demo_data):
    """``?asof=1995-06-30``: the date large on the map, the KPI strip and the posts markers
    of that day (posts opened by 1995); clearing the picker returns to the data's date."""
    view = ViewState(filters=filter_state(asof=("1995-06-30",)), lang="en")
    expected = map_view(demo_data, view)
    open_then = len(dated(demo_data, view).network.posts)
    assert open_then < len(demo_data.network.posts)
    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + "/?asof=1995-06-30&lang=en")
    _wait_for_map(dash_duo)
    dash_duo.wait_for_text_to_equal("#asof-badge", "As of 30 June 1995")
    dash_duo.wait_for_text_to_equal("#kpi-posts", str(open_then))
    dash_duo.wait_for_text_to_equal("#kpi-programmes", _plain(expected.kpi_texts[3]))
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-post") == open_then, timeout=10,
                       msg="posts opened after 1995 still drawn")
    assert dash_duo.find_element("input#filter-asof").get_attribute("value") == "30 Jun 1995"
    dash_duo.find_element("#filter-asof-wrapper .dash-datepicker-clear").click()
    dash_duo.wait_for_text_to_equal("#kpi-posts", str(len(demo_data.network.posts)))
    dash_duo._wait_for(lambda _: dash_duo.find_element("#asof-badge").text == "", timeout=10,
                       msg="the badge still shows a date")
    assert "asof" not in parse_qs(urlparse(dash_duo.driver.current_url).query)
    assert dash_duo.find_element("input#filter-asof").get_attribute("placeholder") == (
        "23 November 2026 (data date)")
    assert severe_logs(dash_duo) == []


def _type_in_date_field(dash_duo, text: str) -> None:
    from selenium.webdriver.common.keys import Keys

    field = dash_duo.find_element("input#filter-asof")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(text)
    field.send_keys(Keys.ENTER)


def test_a_date_typed_and_confirmed_with_enter_is_the_view_date(dash_duo, demo_app, demo_data):
    """A whole date typed in the as-of field and confirmed with Enter is the map's date at
    once, the calendar left closed (``assets/asof.js``), in the page's numeric or named form;
    a date that does not exist is refused and the field's calendar opens, as the picker does."""
    day = date(1995, 6, 30)
    view = ViewState(filters=filter_state(asof=(day.isoformat(),)), lang="fr")
    open_then = len(dated(demo_data, view).network.posts)
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    _type_in_date_field(dash_duo, "30/06/1995")
    dash_duo.wait_for_text_to_equal("#asof-badge", f"Situation au {format_day(day, 'fr')}",
                                    timeout=10)
    dash_duo.wait_for_text_to_equal("#kpi-posts", str(open_then))
    assert parse_qs(urlparse(dash_duo.driver.current_url).query)["asof"] == ["1995-06-30"]
    assert dash_duo.find_element("input#filter-asof").get_attribute("value") == "30/06/1995"
    assert dash_duo.find_element("input#filter-asof").get_attribute("aria-expanded") == "false"
    _type_in_date_field(dash_duo, "1er mars 2004")
    dash_duo.wait_for_text_to_equal(
        "#asof-badge", f"Situation au {format_day(date(2004, 3, 1), 'fr')}", timeout=10)
    assert dash_duo.find_element("input#filter-asof").get_attribute("value") == "01/03/2004"
    _type_in_date_field(dash_duo, "31/02/2005")
    dash_duo._wait_for(lambda _: dash_duo.find_element("input#filter-asof").get_attribute(
        "aria-expanded") == "true", timeout=10, msg="the calendar did not open")
    assert dash_duo.find_element("#asof-badge").text == (
        f"Situation au {format_day(date(2004, 3, 1), 'fr')}")
    assert parse_qs(urlparse(dash_duo.driver.current_url).query)["asof"] == ["2004-03-01"]
    assert severe_logs(dash_duo) == []


def test_enter_with_the_calendar_open_applies_the_date_and_closes_only_the_calendar(
        dash_duo, demo_app):
    """A click in the as-of field opens its calendar; a date typed then and confirmed with
    Enter is applied and the calendar closes, the country's panel staying open. With the
    calendar open, Escape closes the calendar alone; the next Escape closes the panel."""
    from selenium.webdriver.common.keys import Keys

    def panel_open() -> bool:
        return "panel-open" in (dash_duo.find_element("#panel").get_attribute("class") or "")

    def calendar_open() -> bool:
        return dash_duo.find_element("input#filter-asof").get_attribute("aria-expanded") == "true"

    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + "/?country=MLI&lang=en")
    _wait_for_map(dash_duo)
    dash_duo.wait_for_text_to_equal("#panel-title", "Mali", timeout=10)
    field = dash_duo.find_element("input#filter-asof")
    field.click()
    dash_duo._wait_for(lambda _: calendar_open(), timeout=10, msg="the click opened no calendar")
    _type_in_date_field(dash_duo, "30 Jun 2001")
    dash_duo.wait_for_text_to_equal("#asof-badge", "As of 30 June 2001", timeout=10)
    dash_duo._wait_for(lambda _: not calendar_open(), timeout=10, msg="the calendar stayed open")
    assert panel_open()
    field.click()
    dash_duo._wait_for(lambda _: calendar_open(), timeout=10, msg="the click opened no calendar")
    field.send_keys(Keys.ESCAPE)
    dash_duo._wait_for(lambda _: not calendar_open(), timeout=10, msg="Escape left the calendar")
    assert panel_open()
    field.send_keys(Keys.ESCAPE)
    dash_duo._wait_for(lambda _: not panel_open(), timeout=10, msg="Escape left the panel open")
    assert severe_logs(dash_duo) == []


def test_changes_since_the_demo_snapshot(dash_duo, demo_app):
    """Choosing "Changes since" the demo's earlier snapshot shows the changes: the URL, the
    colours (Eritrea lost, Guinea-Bissau now from another post) and the list in words."""
    dash_duo.start_server(demo_app)
    _wait_for_map(dash_duo)
    assert dash_duo.find_element("#changes-box").text == ""
    choose_option(dash_duo, "filter-since", "Démo du 15 juin 2026")
    dash_duo._wait_for(
        lambda _: parse_qs(urlparse(dash_duo.driver.current_url).query).get("since")
        == ["demo-previous"], timeout=10, msg="since not in the URL")
    query = parse_qs(urlparse(dash_duo.driver.current_url).query)
    assert query["mode"] == ["changes"]
    dash_duo.wait_for_contains_text("#changes-box .changes-title",
                                    "Changements depuis : démo du 15 juin 2026", timeout=10)
    dash_duo._wait_for(lambda _: fill_of(dash_duo, "ERI") == palette.CHANGES["lost"],
                       timeout=10, msg="Eritrea not coloured as lost")
    assert fill_of(dash_duo, "GNB") == palette.CHANGES["moved"]
    lines = [li.text for li in dash_duo.find_elements("#changes-box li")]
    assert any(line.startswith("Guinée-Bissau : ") and "auparavant Conakry" in line
               for line in lines)
    assert "Érythrée : n'est plus couvert (l'était depuis Addis-Abeba)" in lines
    legend = dash_duo.find_element("#legend").text
    assert "Couverture perdue" in legend
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "#filter-mode input[value='changes']")
    assert severe_logs(dash_duo) == []


def _record_badge(dash_duo) -> None:
    """Keep every text the date on the map shows, in order (window.__badges)."""
    dash_duo.driver.execute_script("""
        window.__badges = [];
        var badge = document.getElementById('asof-badge');
        new MutationObserver(function () {
          var text = badge.textContent;
          if (window.__badges[window.__badges.length - 1] !== text) { window.__badges.push(text); }
        }).observe(badge, {childList: true, characterData: true, subtree: true});""")


def test_playback_steps_through_its_frames_showing_each_date(dash_duo, demo_app, demo_data):
    """Play (by year) shows every year from the first programme's to the last, in order, with
    the KPI strip of each; the frames come in one response (no request per frame); at the
    end the play button is back. Step buttons move one frame; pausing keeps the date in the
    URL."""
    first, last = demo_data.year_bounds
    dash_duo.start_server(demo_app)
    dash_duo.driver.get(dash_duo.server_url + "/?mode=programmes")
    _wait_for_map(dash_duo)
    _record_badge(dash_duo)
    dash_duo.find_element("#play").click()
    dash_duo._wait_for(lambda _: dash_duo.find_element("#play").text == "▶"
                       and dash_duo.driver.execute_script("return window.__badges.length")
                       >= last - first + 1, timeout=30, msg="the playback did not end")
    shown = dash_duo.driver.execute_script("return window.__badges")
    years = [text for text in shown if text.isdigit()]
    assert years == [str(year) for year in range(first, last + 1)]
    assert "Budget" in dash_duo.find_element("#play-budget").text
    requests = dash_duo.driver.execute_script(
        "return performance.getEntriesByType('resource').filter(function (e) {"
        " return e.name.indexOf('_dash-update-component') >= 0; }).length;")
    assert requests < 15  # one for the frames, not one per frame (18 of them)

    # Step through the frames: one back, one on (the last frame stays the last).
    dash_duo.find_element("#play-previous").click()
    dash_duo.wait_for_text_to_equal("#asof-badge", str(last - 1), timeout=10)
    dash_duo.find_element("#play-next").click()
    dash_duo.wait_for_text_to_equal("#asof-badge", str(last), timeout=10)
    dash_duo.find_element("#play-next").click()
    dash_duo.wait_for_text_to_equal("#asof-badge", str(last), timeout=10)

    # Pause: the date of the frame shown goes to the URL, the map is the view of that day.
    # By month (over 200 frames, 40 s), so that the pause lands while it plays.
    dash_duo.find_element("#play-step input[value='month']").click()
    dash_duo.find_element("#play").click()
    dash_duo._wait_for(lambda _: dash_duo.find_element("#play").text != "▶"
                       and not dash_duo.find_element("#asof-badge").text.startswith(
                           "Situation"), timeout=15, msg="the playback did not start again")
    dash_duo.find_element("#play").click()
    dash_duo._wait_for(lambda _: "asof" in parse_qs(urlparse(dash_duo.driver.current_url).query),
                       timeout=10, msg="the paused date is not in the URL")
    day = date.fromisoformat(parse_qs(urlparse(dash_duo.driver.current_url).query)["asof"][0])
    assert (day + timedelta(days=1)).day == 1  # a month's last day
    assert str(first) <= day.isoformat() <= f"{last}-12-31"
    dash_duo.wait_for_text_to_equal(
        "#asof-badge", f"Situation au {format_day(day, 'fr')}", timeout=10)
    assert severe_logs(dash_duo) == []
