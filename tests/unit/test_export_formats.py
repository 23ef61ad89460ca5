"""The export format registry: every registered format is offered by ``atlas export --format``
and by the dialog, and writes a file of its declared type; the export code has no hidden
import cycle and no import-time work."""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from cli.commands import export as export_command
from dashboard import ids
from dashboard.export_dialog import export_dialog
from exports import page
from exports.formats.base import Kind
from exports.formats.registry import (
    FORMATS,
    UnknownFormat,
    format_ids,
    lookup,
    parse_format_list,
)
from exports.tables import COLUMNS, header
from geodata.i18n import all_texts, t
from viewmodel.data import Bounded, Memo

ROOT = Path(__file__).resolve().parents[2]
EXPORT_PACKAGE = ROOT / "exports"
FIRST_PARTY = ("dashboard", "exports", "geodata", "layers", "viewmodel")


def _zip_holding(member: str):
    def check(content: bytes) -> bool:
        return (content.startswith(b"PK")
                and member in zipfile.ZipFile(io.BytesIO(content)).namelist())
    return check


def _csv_header(content: bytes) -> bool:
    first_line = content.decode("utf-8-sig").split("\r\n", 1)[0]
    return first_line.split(";") == [header(column, "fr") for column in COLUMNS]


#: How to recognise a file of each declared MIME type (a new type needs its check here).
def _animated_gif(content: bytes) -> bool:
    """A GIF of several frames (the playback)."""
    from PIL import Image

    image = Image.open(io.BytesIO(content))
    return content.startswith(b"GIF89a") and getattr(image, "n_frames", 1) > 1


CONTENT_CHECKS = {
    "image/png": lambda content: content.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/gif": _animated_gif,
    "video/mp4": lambda content: content[4:8] == b"ftyp",
    "image/svg+xml": lambda content: content.lstrip().startswith((b"<?xml", b"<svg")),
    "application/pdf": lambda content: content.startswith(b"%PDF-"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation":
        _zip_holding("ppt/presentation.xml"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        _zip_holding("xl/workbook.xml"),
    "text/csv": _csv_header,
}


def _components(component):
    """``component`` and every component inside it."""
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from _components(child)


# --- the registry -----------------------------------------------------------------------------


def test_registry_declarations_are_complete():
    """Unique ids; each format has an extension, a MIME type, a kind and a label in both
    languages."""
    assert len(set(format_ids())) == len(FORMATS)
    assert format_ids() == ("png", "svg", "pdf", "pptx", "gif", "mp4", "pptx_video", "csv",
                            "xlsx")
    for fmt in FORMATS:
        assert fmt.extension and "." not in fmt.extension
        assert "/" in fmt.mime_type
        assert fmt.kind in tuple(Kind)
        assert fmt.label_key in all_texts("fr") and fmt.label_key in all_texts("en"), fmt.id
        assert callable(fmt.write)
        assert lookup(fmt.id) is fmt
        assert fmt.file_name("atlas-x") == f"atlas-x{fmt.stem_suffix}.{fmt.extension}"
    # Two formats never write the same file name.
    assert len({fmt.file_name("atlas-x") for fmt in FORMATS}) == len(FORMATS)


def test_lookup_and_parsing():
    """Lists parse in order without repeats; unknown or wrong-kind ids are refused by name."""
    assert [f.id for f in parse_format_list(" PNG,csv,png ")] == ["png", "csv"]
    with pytest.raises(UnknownFormat, match="unknown format bmp"):
        parse_format_list("png,bmp")
    with pytest.raises(UnknownFormat):
        parse_format_list(" , ")
    with pytest.raises(UnknownFormat, match="choose one of png, svg, pdf, pptx"):
        lookup("csv", Kind.SNAPSHOT)


# --- every format offered and written ---------------------------------------------------------


def test_every_format_is_in_the_command_help(capsys):
    """``atlas export --help`` names every registered format in the --format option."""
    with pytest.raises(SystemExit):
        export_command.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    start = text.index("--format FMT[,FMT...]", text.index("options:"))
    option_help = text[start:text.index("--out PATH", start)]
    for fmt in FORMATS:
        assert f" {fmt.id}," in option_help or f" {fmt.id} " in option_help, fmt.id


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_format_is_offered_by_the_dialog(lang):
    """Snapshot formats are the dialog's format choices, each table format has its button,
    with the label the format declares; nothing else is offered."""
    components = list(_components(export_dialog(lang, marking="")))
    by_id = {c.id: c for c in components if isinstance(getattr(c, "id", None), str)}
    choices = by_id[ids.EXPORT_FORMAT].options
    assert [(o["value"], o["label"]) for o in choices] == [
        (f.id, t(f.label_key, lang)) for f in FORMATS if f.kind == Kind.SNAPSHOT]
    buttons = [c for c in components if str(getattr(c, "id", "")).startswith("export-")
               and type(c).__name__ == "Button"]
    table_buttons = [(b.id, b.children) for b in buttons
                     if b.id not in (ids.EXPORT_OPEN, ids.EXPORT_CLOSE, ids.EXPORT_CANCEL,
                                     ids.EXPORT_CONFIRM)]
    assert table_buttons == [(ids.export_table_button(f.id), t(f.label_key, lang))
                             for f in FORMATS if f.kind == Kind.TABLE]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_every_format_writes_its_type_through_the_command(tmp_path, capsys, fmt):
    """``atlas export --format X --out FILE`` writes one non-empty file with the format's
    extension and the content of its declared type."""
    assert fmt.mime_type in CONTENT_CHECKS, f"add a content check for {fmt.mime_type}"
    assert export_command.main(["--format", fmt.id, "--out", str(tmp_path / "export")]) == 0
    written = Path(capsys.readouterr().out.strip())
    assert written == tmp_path / f"export.{fmt.extension}"
    content = written.read_bytes()
    assert content and CONTENT_CHECKS[fmt.mime_type](content), fmt.id
    assert list(tmp_path.iterdir()) == [written]


def test_several_formats_share_a_stem(tmp_path, capsys):
    """Several formats with ``--out DIR/stem.ext``: one file per format's extension."""
    assert export_command.main(["--format", "csv,xlsx", "--out", str(tmp_path / "t.csv")]) == 0
    assert sorted(capsys.readouterr().out.split()) == [str(tmp_path / "t.csv"),
                                                       str(tmp_path / "t.xlsx")]


# --- import cycles and import-time work -------------------------------------------------------


def _function_level_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def test_export_package_has_no_function_level_imports():
    """Every import of the export package is at module level, where a cycle would show."""
    found = [hit for path in sorted(EXPORT_PACKAGE.rglob("*.py"))
             for hit in _function_level_imports(path)]
    assert found == []


RECORD_IMPORTS = """
import builtins, importlib.util, json, sys

FIRST_PARTY = {first_party!r}
edges = set()
real_import = builtins.__import__


def recording_import(name, globals=None, locals=None, fromlist=(), level=0):
    module = real_import(name, globals, locals, fromlist, level)
    importer = (globals or {{}}).get("__name__", "")
    full = importlib.util.resolve_name("." * level + name, (globals or {{}}).get("__package__"))\\
        if level else name
    targets = [f"{{full}}.{{item}}" if f"{{full}}.{{item}}" in sys.modules else full
               for item in fromlist or ()] or [full]
    for target in targets:
        if importer.startswith(FIRST_PARTY) and target.startswith(FIRST_PARTY):
            edges.add((importer, target))
    return module


builtins.__import__ = recording_import
from cli import main

code = main(["export", "--format", "{formats}", "--out", sys.argv[1]])
builtins.__import__ = real_import
json.dump(sorted(edges), open(sys.argv[2], "w"))
sys.exit(code)
"""


def _cycles(edges: list[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        if source != target:
            graph.setdefault(source, set()).add(target)
            graph.setdefault(target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph[node]:
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_running_atlas_export_imports_no_cycle(tmp_path):
    """``atlas export`` of every format, with each import statement recorded (module level
    and inside functions): the first-party import graph has no cycle, so snapshot and
    powerpoint do not import each other, not even lazily."""
    script = RECORD_IMPORTS.format(first_party=FIRST_PARTY, formats=",".join(format_ids()))
    edges_file = tmp_path / "edges.json"
    subprocess.run([sys.executable, "-c", script, f"{tmp_path}/out/", str(edges_file)],
                   check=True, capture_output=True, cwd=ROOT, timeout=300)
    edges = [tuple(edge) for edge in json.loads(edges_file.read_text())]
    assert len(list((tmp_path / "out").iterdir())) == len(FORMATS)
    assert ("exports.powerpoint", "exports.page") in edges
    assert ("exports.snapshot", "exports.powerpoint") not in edges
    assert _cycles(edges) == []


def test_cycle_finder_finds_a_lazy_cycle():
    """The cycle check itself: the old snapshot <-> powerpoint pair is reported."""
    assert _cycles([("a.snapshot", "a.powerpoint"), ("a.powerpoint", "a.snapshot"),
                    ("a.powerpoint", "a.page")]) == [["a.powerpoint", "a.snapshot"]]


def test_importing_the_export_code_scans_no_fonts():
    """Importing the export modules leaves the font lookup for the first export."""
    script = ("import exports.formats.registry, dashboard.export_dialog\n"
              "from exports.page import EXPORT_FONTS\n"
              "print(EXPORT_FONTS._families is None)")
    result = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert result.stdout.strip() == "True"
    assert page.EXPORT_FONTS.families()[0] in page.PREFERRED_FONTS


@pytest.mark.parametrize("make", [Memo, lambda: Bounded(4)], ids=["memo", "bounded"])
def test_memo_builds_each_value_once_across_threads(make):
    """A data load's memo (and its bounded store of dated networks) builds a value once while
    several threads ask for it at once."""
    memo = make()
    calls = []
    started = threading.Barrier(8)

    def build():
        calls.append(1)
        time.sleep(0.05)  # the others ask while it is being built
        return object()

    results = []

    def ask():
        started.wait()
        results.append(memo.get("shapes", build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len({id(r) for r in results}) == 1
    assert memo.get("other", lambda: 2) == 2
