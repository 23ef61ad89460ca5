"""Run the axe-core accessibility audit (npm package, installed by the test command) in the
page under test."""

from __future__ import annotations

from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def audit(driver, context: str = "document") -> list[dict]:
    """The serious and critical violations axe-core finds in ``context`` (a CSS selector or
    ``document``), each as {id, impact, help, targets}."""
    driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const context = arguments[0] === 'document' ? document : arguments[0];
        axe.run(context, {resultTypes: ['violations']})
          .then(r => done(r.violations))
          .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
        """,
        context,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v.get("nodes", [])][:5]}
        for v in result if v.get("impact") in SERIOUS
    ]
