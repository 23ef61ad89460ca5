"""Helpers of the serving tests (security, auth, reload): credentials, users files, demo copies
and Dash callback requests built from ``/_dash-dependencies``."""

from __future__ import annotations

import base64
import hashlib
import shutil
import time
from pathlib import Path

from accounts.users import add_user
from dashboard.settings import DEMO_DATA_DIR

EDITOR = ("alice", "alice-password-1")
VIEWER = ("bob", "bob-password-22")


def basic(name: str, password: str) -> dict:
    """The Authorization header of HTTP Basic auth."""
    token = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def make_users_file(path: Path) -> Path:
    """A users file with an editor (alice) and a viewer (bob)."""
    add_user(path, EDITOR[0], "editor", EDITOR[1])
    add_user(path, VIEWER[0], "viewer", VIEWER[1])
    return path


def copy_demo(folder: Path) -> Path:
    """A copy of the demo CSV files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in DEMO_DATA_DIR.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    return folder


def folder_digest(folder: Path) -> str:
    """A digest of every file's name and bytes in ``folder`` (to prove it was not written)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def callback_spec(client, output: str, headers: dict | None = None) -> dict:
    """The dependency entry of the callback whose outputs include ``output``."""
    deps = client.get("/_dash-dependencies", headers=headers or {}).get_json()
    return next(d for d in deps if output in d["output"])


def callback_payload(spec: dict, values: dict, changed: str) -> dict:
    """The JSON body the browser posts for ``spec``; inputs and states not in ``values`` are
    None (keys: ``"id.property"``)."""

    def item(dep):
        return {"id": dep["id"], "property": dep["property"],
                "value": values.get(f"{dep['id']}.{dep['property']}")}

    outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
               for o in spec["output"].strip(".").split("...")]
    return {
        "output": spec["output"],
        "outputs": outputs if spec["output"].startswith("..") else outputs[0],
        "inputs": [item(dep) for dep in spec["inputs"]],
        "state": [item(dep) for dep in spec["state"]],
        "changedPropIds": [changed],
    }


def run_job(client, body: dict, headers: dict | None = None, *, timeout: float = 180,
            until=None, started: dict | None = None) -> tuple[dict | None, list[dict]]:
    """Post a background callback's request (unless ``started``, the answer of one already
    posted) and poll it as the browser does (every 0.2 s) until it answers,
    ``until(progress)`` is true, or ``timeout`` seconds pass. Returns the answer (None if
    polling stopped before it) and every progress update seen."""
    headers = headers or {}
    handle = started
    if handle is None:
        response = client.post("/_dash-update-component", json=body, headers=headers)
        assert response.status_code == 200, response.text
        handle = response.get_json()
    assert "job" in handle, handle
    url = f"/_dash-update-component?cacheKey={handle['cacheKey']}&job={handle['job']}"
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = client.post(url, json=body, headers=headers)
        if answer.status_code == 200:
            payload = answer.get_json()
            if "progress" in payload:
                seen.append(payload["progress"])
                if until is not None and until(payload["progress"]):
                    return None, seen
            if "response" in payload:
                return payload["response"], seen
        time.sleep(0.2)
    raise AssertionError(f"no answer in {timeout} s; progress seen: {seen}")


def call_as(client, user: tuple[str, str], output: str, values: dict, changed: str,
            query: str = "") -> dict:
    """Post, as ``user`` (name, password), the callback whose outputs include ``output`` and
    whose inputs include ``changed``; the JSON answer (``{}`` for a 204). A background
    callback (the export dialog's downloads) is polled as the page does, its answer given
    as ``{"response": ...}``."""
    specs = client.get("/_dash-dependencies", headers=basic(*user)).get_json()
    spec = next(d for d in specs if output in d["output"]
                and any(f"{i['id']}.{i['property']}" == changed for i in d["inputs"]))
    if spec.get("background"):
        answer, _ = run_job(client, callback_payload(spec, values, changed), basic(*user))
        return {"response": answer}
    response = client.post("/_dash-update-component" + query, headers=basic(*user),
                           json=callback_payload(spec, values, changed))
    assert response.status_code in (200, 204), response.data[:300]
    return response.get_json() if response.status_code == 200 else {}
