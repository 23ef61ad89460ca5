"""A table that would lose all its rows: the upload is refused with what shrank and a
"Publish anyway" button; confirming publishes it and says what shrank."""

from __future__ import annotations

import os

import pandas as pd

from accounts.users import add_user
from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from tests.browser.conftest import severe_logs
from tests.browser.test_data_update import _login, _wait_for_map


def test_a_shrinking_table_needs_a_confirmation(dash_duo, tmp_path):
    users = tmp_path / "users.json"
    add_user(users, "alice", "editor", "alice-password")
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users),
                                   data_root=str(tmp_path / "root"), lang="fr"))
    _login(dash_duo, app, "alice", "alice-password")
    _wait_for_map(dash_duo)
    rows = len(pd.read_csv(DEMO_DATA_DIR / "programmes.csv"))
    header = (DEMO_DATA_DIR / "programmes.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "programmes.csv").write_text(header + "\n", encoding="utf-8")
    assert not dash_duo.find_element("#data-confirm-shrink").is_displayed()

    dash_duo.find_element("#data-upload input[type=file]").send_keys(
        str(folder / "programmes.csv"))
    dash_duo.wait_for_contains_text("#data-update-status",
                                    f"ce tableau passerait de {rows} à 0 lignes", timeout=20)
    assert "Publication suspendue" in dash_duo.find_element("#data-update-status").text
    confirm = dash_duo.find_element("#data-confirm-shrink")
    assert confirm.is_displayed() and confirm.text == "Publier quand même"
    shot = os.environ.get("ATLAS_SHOT_DIR")
    if shot:
        dash_duo.driver.save_screenshot(os.path.join(shot, "shrink-fr.png"))
    confirm.click()
    dash_duo.wait_for_contains_text("#data-update-status", "Données mises à jour : version",
                                    timeout=20)
    assert f"Tableaux réduits : programmes {rows} → 0." in \
        dash_duo.find_element("#data-update-status").text
    assert not dash_duo.find_element("#data-confirm-shrink").is_displayed()
    if shot:
        dash_duo.driver.save_screenshot(os.path.join(shot, "shrink-done-fr.png"))
    assert severe_logs(dash_duo) == []
