"""What a simulated browser needs to know of a Dash page: its values from ``/_dash-layout``, the
server callbacks of ``/_dash-dependencies`` and the body the renderer posts for one of them.
Shared by the Locust scenario and its runner (no Locust here: it patches the standard library
when imported)."""

from __future__ import annotations

import json


def layout_values(node, values: dict) -> dict:
    """Every ``"id.prop": value`` of the serialised layout (the page's state on arrival)."""
    if isinstance(node, list):
        for child in node:
            layout_values(child, values)
    elif isinstance(node, dict) and "props" in node:
        props = node["props"]
        if isinstance(props.get("id"), str):
            for name, value in props.items():
                if name != "children" or not isinstance(value, list | dict):
                    values[f"{props['id']}.{name}"] = value
        for value in props.values():
            if isinstance(value, list | dict):
                layout_values(value, values)
    return values


def prop_ids(items: list[dict]) -> list[str]:
    """``"id.prop"`` of each dependency."""
    return [f"{item['id']}.{item['property']}" for item in items]


def _pattern(item: dict) -> bool:
    return isinstance(item["id"], dict) or str(item["id"]).startswith("{")


def served_callbacks(dependencies: list[dict]) -> list[dict]:
    """The callbacks the server runs (not the clientside ones). Pattern-matching ids are kept
    only as ``ALL`` inputs (sent as the page sends them when no such component is drawn: an
    empty list; the scenario never clicks those components)."""
    return [spec for spec in dependencies if not spec.get("clientside_function")
            and not any(_pattern(item) for item in spec["state"])
            and all('["ALL"]' in str(item["id"]) for item in spec["inputs"] if _pattern(item))]


def body(spec: dict, values: dict, changed: list[str], *, blank: bool = False) -> bytes:
    """The JSON the browser posts for ``spec`` (``blank``: inputs and state as null, as the
    browser polls a background job)."""
    outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
               for o in spec["output"].strip(".").split("...")]

    def item(dep):
        if _pattern(dep):
            return []
        value = None if blank else values.get(f"{dep['id']}.{dep['property']}")
        return {"id": dep["id"], "property": dep["property"], "value": value}

    inputs = prop_ids(spec["inputs"])
    return json.dumps({
        "output": spec["output"],
        "outputs": outputs if spec["output"].startswith("..") else outputs[0],
        "inputs": [item(d) for d in spec["inputs"]], "state": [item(d) for d in spec["state"]],
        "changedPropIds": [prop for prop in changed if prop in inputs]}).encode()
