"""An editor updates the data from the dashboard, logged in with HTTP Basic auth and the
Content-Security-Policy on: a bad file shows its problems and changes nothing; a good one is
served after a reload of the page."""

from __future__ import annotations

import base64

import pandas as pd

from accounts.users import add_user
from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from tests.browser.conftest import count, severe_logs


def _programmes(tmp_path, name: str, drop: int = 0, bad_status: bool = False):
    frame = pd.read_csv(DEMO_DATA_DIR / "programmes.csv", dtype=str, keep_default_na=False)
    frame = frame.iloc[: len(frame) - drop].copy()
    if bad_status:
        frame.loc[frame.index[3], "status"] = "finished"
    folder = tmp_path / name
    folder.mkdir()
    frame.to_csv(folder / "programmes.csv", index=False)
    return folder / "programmes.csv"


def _login(dash_duo, app, name: str, password: str) -> None:
    """Start the app and send Basic credentials with every request of the browser."""
    dash_duo.start_server(app, navigate=False)
    token = base64.b64encode(f"{name}:{password}".encode()).decode()
    dash_duo.driver.execute_cdp_cmd("Network.enable", {})
    dash_duo.driver.execute_cdp_cmd("Network.setExtraHTTPHeaders",
                                    {"headers": {"Authorization": f"Basic {token}"}})
    dash_duo.server_url = dash_duo.server.url


def _wait_for_map(dash_duo) -> None:
    dash_duo.wait_for_element("path.atlas-country-FRA", timeout=20)
    dash_duo._wait_for(lambda _: count(dash_duo, "path.atlas-country") >= 250, timeout=20,
                       msg="country shapes not drawn")


def test_editor_uploads_a_bad_then_a_good_file(dash_duo, tmp_path):
    users = tmp_path / "users.json"
    add_user(users, "alice", "editor", "alice-password")
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users),
                                   data_root=str(tmp_path / "root"), lang="fr"))
    _login(dash_duo, app, "alice", "alice-password")
    _wait_for_map(dash_duo)
    before = dash_duo.find_element("#kpi-programmes").text

    upload = dash_duo.find_element("#data-upload input[type=file]")
    upload.send_keys(str(_programmes(tmp_path, "bad", bad_status=True)))
    dash_duo.wait_for_contains_text("#data-update-status", "Données non valides", timeout=20)
    dash_duo.wait_for_text_to_equal("#data-update-status table.problems td", "programmes.csv")
    cells = [c.text for c in dash_duo.find_elements("#data-update-status table.problems td")]
    assert cells[:3] == ["programmes.csv", "5", "status"]
    assert cells[4] == "valeur attendue parmi : planned, active, completed"
    assert dash_duo.find_element("#kpi-programmes").text == before

    dash_duo.driver.execute_script("arguments[0].value = '';", upload)  # a fresh choice
    upload.send_keys(str(_programmes(tmp_path, "good", drop=150)))
    dash_duo.wait_for_contains_text("#data-update-status", "Données mises à jour : version",
                                    timeout=20)
    dash_duo.find_element("#data-update-status a").click()
    _wait_for_map(dash_duo)
    dash_duo._wait_for(lambda _: dash_duo.find_element("#kpi-programmes").text != before,
                       timeout=20, msg="the new data is not shown after the reload")
    assert severe_logs(dash_duo) == []
