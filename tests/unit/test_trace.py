"""Traceable exports: with access control on, each format names who exported it and when, in
its footer and in its metadata; nothing with ``ATLAS_EXPORT_TRACE=0`` or without access
control."""

from __future__ import annotations

import base64
import io
import re
import subprocess
from datetime import UTC, datetime

import openpyxl
import pytest
from PIL import Image
from pptx import Presentation

import cli
from accounts.users import add_user
from dashboard import ids
from dashboard.app import create_app
from dashboard.settings import DEMO_DATA_DIR, Settings
from tests.unit.serving import basic, callback_payload, make_users_file, run_job

AWA = ("awa", "awa-password-1")
WHEN = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
LINES = {"en": "Exported by awa on 7 December 2026 at 09:30 UTC",
         "fr": "Exporté par awa le 7 décembre 2026 à 09:30 UTC"}
EXPORT = {"export-what.value": "page", "export-extent.value": "world",
          "export-size.value": "16:9", "export-scale.value": 1,
          "export-options.value": ["labels"], "export-include.value": ["legend", "kpis"]}


def app_client(tmp_path, **settings):
    users = make_users_file(tmp_path / "users.json")
    add_user(users, AWA[0], "viewer", AWA[1], scope="region:africa")
    app = create_app(Settings.load(data_dir=DEMO_DATA_DIR, users_file=str(users), **settings),
                     clock=lambda: WHEN)
    return app.server.test_client()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return app_client(tmp_path_factory.mktemp("trace"))


def export(client, fmt: str, lang: str, changed: str = "export-confirm.n_clicks",
           values: dict | None = None) -> bytes:
    specs = client.get("/_dash-dependencies", headers=basic(*AWA)).get_json()
    spec = next(d for d in specs if "export-status.children" in d["output"]
                and any(f"{i['id']}.{i['property']}" == changed for i in d["inputs"]))
    body = callback_payload(spec, {**EXPORT, "export-format.value": fmt, "lang.data": lang,
                                   **(values or {})}, changed)
    if spec.get("background"):  # the dialog's downloads are jobs: poll as the page does
        response, _ = run_job(client, body, basic(*AWA))
    else:
        response = client.post("/_dash-update-component", headers=basic(*AWA),
                               json=body).get_json()["response"]
    sent = response[ids.EXPORT_DOWNLOAD]["data"]
    return base64.b64decode(sent["content"]) if sent["base64"] else sent["content"].encode()


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          capture_output=True, check=True).stdout.decode()


def pdf_author(content: bytes) -> str:
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    return re.search(r"^Author:\s*(.*)$", info, re.M).group(1).strip()


def slide_texts(content: bytes) -> dict:
    slide = Presentation(io.BytesIO(content)).slides[0]
    return {shape.name: shape.text_frame.text for shape in slide.shapes if shape.has_text_frame}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_pdf_names_who_exported_it_in_its_footer_and_author(client, lang):
    content = export(client, "pdf", lang)
    assert LINES[lang] in pdf_text(content)
    assert pdf_author(content) == "awa"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_slide_names_who_exported_it_in_its_footer_and_properties(client, lang):
    content = export(client, "pptx", lang)
    assert slide_texts(content)["Exported by"] == LINES[lang]
    properties = Presentation(io.BytesIO(content)).core_properties
    assert (properties.author, properties.last_modified_by) == ("awa", "awa")


def test_a_png_and_an_svg_name_who_exported_them(client, tmp_path):
    png = Image.open(io.BytesIO(export(client, "png", "en")))
    assert png.info["Author"] == "awa"
    svg = export(client, "svg", "en").decode()
    assert "<dc:creator>" in svg and "awa" in re.search(
        r"<dc:creator>.*?</dc:creator>", svg, re.S).group(0)
    # the footer line is drawn (the same page as the PDF's): the untraced page differs there
    plain = app_client(tmp_path, export_trace=False)
    untraced = Image.open(io.BytesIO(export(plain, "png", "en")))
    footer = (0, int(png.height * 0.85), png.width // 2, png.height)
    assert png.crop(footer).tobytes() != untraced.crop(footer).tobytes()
    assert "Author" not in untraced.info or untraced.info["Author"] == "Atlas"


def test_a_workbook_names_who_exported_it(client):
    content = export(client, "xlsx", "en", f"{ids.export_table_button('xlsx')}.n_clicks")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert (workbook.properties.creator, workbook.properties.lastModifiedBy) == ("awa", "awa")
    about = {row[0]: row[1] for row in workbook.worksheets[1].iter_rows(values_only=True)}
    assert about["Exported by"] == LINES["en"]


def test_a_csv_stays_a_plain_table(client):
    content = export(client, "csv", "en", f"{ids.export_table_button('csv')}.n_clicks")
    assert b"awa" not in content and content.startswith(b"\xef\xbb\xbfID;")


def test_a_brief_names_who_exported_it(client):
    content = export(client, "pptx", "fr", "panel-brief.n_clicks",
                     {"selected-country.data": "SEN"})
    assert LINES["fr"] in slide_texts(content)["Footer"]
    assert Presentation(io.BytesIO(content)).core_properties.author == "awa"


def test_no_trace_with_export_trace_off_or_without_access_control(tmp_path):
    plain = app_client(tmp_path, export_trace=False)
    content = export(plain, "pdf", "en")
    assert "Exported by" not in pdf_text(content) and pdf_author(content) == "Atlas"
    open_app = create_app(Settings.load(data_dir=DEMO_DATA_DIR), clock=lambda: WHEN)
    specs = open_app.server.test_client().get("/_dash-dependencies").get_json()
    spec = next(d for d in specs if "export-status.children" in d["output"]
                and any(i["id"] == "export-confirm" for i in d["inputs"]))
    body = callback_payload(spec, {**EXPORT, "export-format.value": "pdf", "lang.data": "en"},
                            "export-confirm.n_clicks")
    response, _ = run_job(open_app.server.test_client(), body)
    sent = response[ids.EXPORT_DOWNLOAD]["data"]
    assert "Exported by" not in pdf_text(base64.b64decode(sent["content"]))


def test_atlas_deck_and_export_for_a_user_name_them(tmp_path, monkeypatch):
    users = make_users_file(tmp_path / "users.json")
    add_user(users, AWA[0], "viewer", AWA[1], scope="region:africa")
    monkeypatch.setenv("ATLAS_USERS_FILE", str(users))
    deck = tmp_path / "pack.pdf"
    assert cli.main(["deck", "--preset", "regions", "--out", str(deck), "--user", "awa",
                     "--lang", "en"]) == 0
    text = pdf_text(deck.read_bytes())
    pages = text.count("\f")
    assert pages >= 2 and text.count("Exported by awa on ") == pages
    assert pdf_author(deck.read_bytes()) == "awa"
    slides = tmp_path / "pack.pptx"
    assert cli.main(["deck", "--preset", "regions", "--out", str(slides), "--user", "awa",
                     "--lang", "fr"]) == 0
    presentation = Presentation(str(slides))
    assert presentation.core_properties.author == "awa"
    for slide in presentation.slides:
        texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert "Exporté par awa le " in texts
