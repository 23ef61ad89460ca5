"""The interface texts, one catalogue per language, and number/money/date formatting (Babel).

Every text shown on screen or in an export comes from ``TEXTS``; ``tests/unit/test_i18n.py``
fails when a key exists in one language and not the other.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_compact_currency, format_decimal

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "app.title": "Atlas · réseau de coopération internationale de sécurité",
        "app.demo_banner": "Données de démonstration : les programmes sont fictifs",
        "kpi.posts": "postes",
        "kpi.staff": "agents",
        "kpi.covered": "pays couverts",
        "kpi.programmes": "programmes",
        "kpi.budget": "budget",
        "filters.title": "Filtres",
        "filters.mode": "Affichage",
        "filters.mode.coverage": "Couverture",
        "filters.mode.programmes": "Programmes",
        "filters.metric": "Mesure",
        "filters.metric.count": "Nombre",
        "filters.metric.budget": "Budget",
        "filters.layers": "Couches",
        "filters.layers.posts": "Postes (SSI)",
        "filters.layers.links": "Liens poste → pays",
        "filters.themes": "Menaces et domaines",
        "filters.types": "Type de coopération",
        "filters.status": "Statut",
        "filters.regions": "Région",
        "filters.years": "Années",
        "filters.beneficiaries": "Force bénéficiaire",
        "filters.reset": "Réinitialiser",
        "filters.all": "Tous",
        "filters.share": "Copier le lien",
        "type.technical": "Technique",
        "type.operational": "Opérationnelle",
        "type.institutional": "Institutionnelle",
        "type.partnership": "Partenariat",
        "status.planned": "Prévu",
        "status.active": "En cours",
        "status.completed": "Terminé",
        "beneficiary.police": "Police",
        "beneficiary.gendarmerie": "Gendarmerie",
        "beneficiary.customs": "Douane",
        "beneficiary.civil_security": "Sécurité civile",
        "beneficiary.justice": "Justice",
        "coverage.host": "Pays d'implantation d'un poste",
        "coverage.regional": "Couvert depuis un poste voisin",
        "coverage.none": "Non couvert",
        "legend.title.coverage": "Couverture du réseau",
        "legend.title.count": "Programmes correspondant aux filtres",
        "legend.title.budget": "Budget des programmes (€)",
        "legend.none": "Aucun",
        "legend.post": "Poste (taille : effectif)",
        "legend.link": "Compétence régionale",
        "tooltip.post": "Poste",
        "tooltip.covered_from": "couvert depuis",
        "tooltip.host_of": "siège du poste",
        "tooltip.not_covered": "non couvert",
        "tooltip.programmes": "programme(s) correspondant aux filtres",
        "tooltip.staff": "agents",
        "tooltip.police": "police",
        "tooltip.gendarmerie": "gendarmerie",
        "tooltip.civil_security": "sécurité civile",
        "tooltip.countries": "pays couverts",
        "map.label": "Carte du réseau de coopération de sécurité",
        "source": "Sources : DCIS (données) ; Natural Earth (frontières)",
    },
    "en": {
        "app.title": "Atlas · international security-cooperation network",
        "app.demo_banner": "Demonstration data: the programmes are fictitious",
        "kpi.posts": "posts",
        "kpi.staff": "staff",
        "kpi.covered": "countries covered",
        "kpi.programmes": "programmes",
        "kpi.budget": "budget",
        "filters.title": "Filters",
        "filters.mode": "Show",
        "filters.mode.coverage": "Coverage",
        "filters.mode.programmes": "Programmes",
        "filters.metric": "Measure",
        "filters.metric.count": "Count",
        "filters.metric.budget": "Budget",
        "filters.layers": "Layers",
        "filters.layers.posts": "Posts (SSI)",
        "filters.layers.links": "Post → country links",
        "filters.themes": "Threats and fields",
        "filters.types": "Cooperation type",
        "filters.status": "Status",
        "filters.regions": "Region",
        "filters.years": "Years",
        "filters.beneficiaries": "Beneficiary force",
        "filters.reset": "Reset",
        "filters.all": "All",
        "filters.share": "Copy link",
        "type.technical": "Technical",
        "type.operational": "Operational",
        "type.institutional": "Institutional",
        "type.partnership": "Partnership",
        "status.planned": "Planned",
        "status.active": "Active",
        "status.completed": "Completed",
        "beneficiary.police": "Police",
        "beneficiary.gendarmerie": "Gendarmerie",
        "beneficiary.customs": "Customs",
        "beneficiary.civil_security": "Civil security",
        "beneficiary.justice": "Justice",
        "coverage.host": "Host country of a post",
        "coverage.regional": "Covered from a neighbouring post",
        "coverage.none": "Not covered",
        "legend.title.coverage": "Network coverage",
        "legend.title.count": "Programmes matching the filters",
        "legend.title.budget": "Programme budget (€)",
        "legend.none": "None",
        "legend.post": "Post (size: staff)",
        "legend.link": "Regional coverage",
        "tooltip.post": "Post",
        "tooltip.covered_from": "covered from",
        "tooltip.host_of": "host of",
        "tooltip.not_covered": "not covered",
        "tooltip.programmes": "programme(s) matching the filters",
        "tooltip.staff": "staff",
        "tooltip.police": "police",
        "tooltip.gendarmerie": "gendarmerie",
        "tooltip.civil_security": "civil security",
        "tooltip.countries": "countries covered",
        "map.label": "Map of the security-cooperation network",
        "source": "Sources: DCIS (data); Natural Earth (borders)",
    },
}


def lang_or_default(lang: str | None) -> str:
    """``lang`` when supported, else the default language."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG) -> str:
    """The text for ``key`` in ``lang``."""
    return TEXTS[lang_or_default(lang)][key]


def format_number(value: float, lang: str = DEFAULT_LANG) -> str:
    """1 234,5 (fr) / 1,234.5 (en)."""
    return format_decimal(value, locale=_LOCALES[lang_or_default(lang)])


def format_money(value: float, lang: str = DEFAULT_LANG) -> str:
    """Compact euros: 48,2 M € (fr) / €48.2M (en)."""
    return format_compact_currency(
        value, "EUR", locale=_LOCALES[lang_or_default(lang)], fraction_digits=1
    )


def format_day(value: date, lang: str = DEFAULT_LANG) -> str:
    """15 mars 2026 (fr) / 15 March 2026 (en)."""
    return format_date(value, "long", locale=_LOCALES[lang_or_default(lang)])
