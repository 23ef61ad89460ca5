"""Key figures of a loaded network, and the plain-text reports of ``atlas validate``."""

from __future__ import annotations

from collections.abc import Iterable

from geodata.i18n import count_text, describe, t
from geodata.network import COOPERATION_TYPES, STATUSES, Network, Problem

STAFF_CORPS = {
    "police": "staff_police",
    "gendarmerie": "staff_gendarmerie",
    "civil_security": "staff_civil_security",
}


def summarize(network: Network) -> dict:
    """JSON-ready key figures: posts, staff (total and by corps), covered countries,
    programmes (total, by status, by cooperation type, budget), programmes per theme, plus the
    data source, whether it is demonstration data, its date and the warnings."""
    posts, programmes = network.posts, network.programmes
    staff = {corps: int(posts[column].sum()) for corps, column in STAFF_CORPS.items()}
    by_theme = network.programme_themes["theme_id"].value_counts()
    return {
        "posts": int(len(posts)),
        "staff": {"total": sum(staff.values()), **staff},
        "covered_countries": int(network.coverage["country_iso3"].nunique()),
        "programmes": {
            "total": int(len(programmes)),
            "by_status": _counts(programmes["status"], STATUSES),
            "by_cooperation_type": _counts(programmes["cooperation_type"], COOPERATION_TYPES),
            "budget_eur": float(programmes["budget_eur"].sum()),
        },
        "themes": {theme: int(by_theme.get(theme, 0)) for theme in network.themes["theme_id"]},
        "source": network.source,
        "is_demo": network.is_demo,
        "data_date": network.data_date.isoformat() if network.data_date else None,
        "warnings": [problem.as_dict() for problem in network.warnings],
    }


def _counts(values, categories: Iterable[str]) -> dict[str, int]:
    counts = values.value_counts()
    return {category: int(counts.get(category, 0)) for category in categories}


def _listing(counts: dict[str, int], readable: bool = True) -> str:
    """'civil security 3 · police 5' (ids kept as written when ``readable`` is False)."""
    return " · ".join(
        f"{name.replace('_', ' ') if readable else name} {count}" for name, count in counts.items()
    )


def format_summary(summary: dict) -> str:
    """The human-readable form of :func:`summarize`'s result, warnings included."""
    source = summary["source"] + (" (demonstration data)" if summary["is_demo"] else "")
    staff = dict(summary["staff"])
    total = staff.pop("total")
    programmes = summary["programmes"]
    lines = [
        f"Network data OK: {source}",
        f"  data date          {summary['data_date']}" if summary["data_date"] else
        "  data date          none (add a meta table with key data_date; "
        "atlas data publish dates it otherwise)",
        f"  posts              {summary['posts']}",
        f"  staff              {total} ({_listing(staff)})",
        f"  covered countries  {summary['covered_countries']}",
        f"  programmes         {programmes['total']} ({_listing(programmes['by_status'])})",
        f"  by theme           {_listing(summary['themes'], readable=False)}",
        f"  budget             € {programmes['budget_eur']:,.0f}".replace(",", " "),
    ]
    warnings = summary["warnings"]
    if warnings:
        lines.append(count_text("problem.count.warnings", len(warnings), "en") + ":")
        lines += [f"  warning  {Problem(**warning)}" for warning in warnings]
    return "\n".join(lines)


def format_problems(problems: list[Problem], source: str, lang: str = "en") -> str:
    """The validation report in ``lang``: a count, then one line per problem (file, row,
    column, value)."""
    errors = sum(problem.severity == "error" for problem in problems)
    counts = {"source": source,
              "errors": count_text("problem.count.errors", errors, lang),
              "warnings": count_text("problem.count.warnings", len(problems) - errors, lang)}
    lines = [describe("problem.report", lang, counts)]
    for problem in problems:
        severity = t(f"problem.severity.{problem.severity}", lang)
        lines.append(f"  {severity:<8} {problem.located(lang)}")
    return "\n".join(lines)
