"""The interface texts, one catalogue per language, and number/money/date formatting (Babel).

Every text shown on screen or in an export comes from ``TEXTS``; ``tests/unit/test_i18n.py``
fails when a key exists in one language and not the other.
"""

from __future__ import annotations

from collections.abc import Mapping
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
        "update.upload": "Mettre à jour les données",
        "update.upload.hint": "Classeur .xlsx ou fichiers CSV "
                              "(posts, coverage, programmes, themes)",
        "update.not_editor": "Seuls les éditeurs peuvent mettre à jour les données.",
        "update.disabled": "Les mises à jour sont désactivées "
                           "(ATLAS_DATA_ROOT n'est pas défini).",
        "update.rejected": "Fichiers refusés : {reason}. Les données servies n'ont pas changé.",
        "update.invalid": "Données non valides : {errors} erreur(s). Les données servies "
                          "n'ont pas changé (version {version}).",
        "update.more": "… et {n} autre(s) problème(s).",
        "update.done": "Données mises à jour : version {version} ({posts} postes, "
                       "{programmes} programmes).",
        "update.reload": "Recharger la page pour les afficher",
        "update.dated.meta": "Données au {date} (date indiquée par la table meta).",
        "update.dated.option": "Données au {date} (date donnée à la publication).",
        "update.dated.publish_day": "Données au {date} : les données n'indiquent pas leur "
                                    "date (table meta, clé data_date), le jour de la "
                                    "publication a été retenu.",
        "update.warnings": "{n} avertissement(s) : les données sont servies, "
                           "mais à vérifier",
        "update.column.file": "Fichier",
        "update.column.row": "Ligne",
        "update.column.column": "Colonne",
        "update.column.value": "Valeur",
        "update.column.problem": "Problème",
        "lang.switch": "Langue",
        "lang.fr": "Français",
        "lang.en": "English (anglais)",
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
        "filters.layers.labels": "Noms des pays",
        "filters.themes": "Menaces et domaines",
        "filters.types": "Type de coopération",
        "filters.status": "Statut",
        "filters.regions": "Région",
        "filters.years": "Années",
        "filters.beneficiaries": "Force bénéficiaire",
        "filters.partners": "Partenaires et financeurs",
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
        "panel.label": "Fiche détaillée",
        "panel.search.label": "Rechercher un pays, une ville ou un poste",
        "panel.search.placeholder": "Rechercher un pays, une ville…",
        "panel.search.typing": "Nom de pays ou de ville",
        "panel.search.none": "Aucun pays ni aucune ville de ce nom",
        "panel.kind.country": "pays",
        "panel.kind.post": "poste",
        "panel.close": "Fermer la fiche (Échap)",
        "panel.zoom.country": "Zoomer sur le pays",
        "panel.zoom.post": "Zoomer sur la zone du poste",
        "panel.post.title": "Poste de {city}",
        "panel.post.kicker": "Poste",
        "panel.country.kicker": "Pays",
        "panel.coverage.host": "Siège du poste de {city}.",
        "panel.coverage.regional": "Couvert depuis le poste de {city} ({country}).",
        "panel.coverage.none": "Aucun poste ne couvre ce pays.",
        "panel.open_post": "Ouvrir la fiche du poste de {city}",
        "panel.section.post": "Le poste",
        "panel.section.area": "Pays couverts par le poste",
        "panel.section.programmes": "Programmes correspondant aux filtres",
        "panel.section.themes": "Par menace et domaine",
        "panel.section.timeline": "Programmes en cours par année",
        "panel.section.list": "Liste des programmes",
        "panel.post.head": "Chef de poste",
        "panel.post.opened": "Ouverture",
        "panel.post.staff": "Effectif",
        "panel.post.also_covers": "Couvre aussi",
        "panel.post.only_host": "Ne couvre que son pays d'implantation.",
        "panel.post.host": "pays d'implantation",
        "panel.figure.programmes": "programmes",
        "panel.figure.budget": "budget attribué",
        "panel.figure.countries": "pays",
        "panel.figure.staff": "agents",
        "panel.budget_note": "Le budget d'un programme multi-pays est réparti à parts égales "
                             "entre ses pays.",
        "panel.outside": "{n} autre(s) programme(s) hors filtres.",
        "panel.empty.filtered": "Aucun programme ne correspond aux filtres ({n} hors filtres).",
        "panel.empty.country": "Aucun programme enregistré dans ce pays.",
        "panel.empty.post": "Aucun programme enregistré dans la zone de ce poste.",
        "panel.themes_note": "Un programme peut relever de plusieurs menaces.",
        "panel.col.title": "Intitulé",
        "panel.col.type": "Type",
        "panel.col.status": "Statut",
        "panel.col.dates": "Période",
        "panel.col.budget": "Budget",
        "panel.col.partners": "Partenaires",
        "panel.sort": "Trier par {column}",
        "panel.count.programmes": "{n} programme(s) correspondant aux filtres",
        "panel.partners": "Partenaires : {names}",
        "map.label": "Carte du réseau de coopération de sécurité",
        "source": "Sources : DCIS (données) ; Natural Earth (frontières)",
        "export.button": "Exporter",
        "export.dialog_title": "Exporter la carte",
        "export.close": "Fermer",
        "export.map": "Image de la carte",
        "export.format": "Format",
        "export.format.png": "PNG (image)",
        "export.format.svg": "SVG (vectoriel)",
        "export.format.pdf": "PDF",
        "export.format.pptx": "PowerPoint",
        "export.size": "Taille",
        "export.size.16:9": "16:9 (écran)",
        "export.size.4:3": "4:3",
        "export.size.a4": "A4 paysage",
        "export.scale": "Résolution de l'image",
        "export.scale.1": "Normale",
        "export.scale.2": "Double (×2)",
        "export.title": "Titre",
        "export.include": "Inclure",
        "export.include.legend": "Légende",
        "export.include.kpis": "Chiffres clés",
        "export.include.filters": "Filtres actifs",
        "export.marking": "Mention de protection",
        "export.marking.hint": "Par exemple : DIFFUSION RESTREINTE (laisser vide si aucune)",
        "export.download": "Télécharger la carte",
        "export.cancel": "Annuler",
        "export.data": "Programmes correspondant aux filtres",
        "export.csv": "Programmes (CSV)",
        "export.xlsx": "Programmes (Excel)",
        "export.ready": "Fichier prêt : {name}",
        "export.failed": "L'export a échoué : {error}",
        "export.data_date": "Données au {date}",
        "export.title.budget": "Budget des programmes",
        "export.title.n_themes": "{n} menaces et domaines",
        "export.filters.country": "Pays mis en évidence",
        "export.filters.post": "Poste mis en évidence",
        "export.notes.title": "Titre",
        "export.notes.filters": "Filtres actifs",
        "export.notes.kpis": "Chiffres clés",
        "export.notes.date": "Date des données",
        "export.notes.source": "Sources",
        "export.notes.marking": "Mention",
        "table.programme_id": "Identifiant",
        "table.title": "Intitulé",
        "table.countries": "Pays",
        "table.country_codes": "Codes pays (ISO3)",
        "table.lead_post": "Poste pilote",
        "table.themes": "Menaces et domaines",
        "table.type": "Type de coopération",
        "table.status": "Statut",
        "table.start": "Début",
        "table.end": "Fin",
        "table.budget": "Budget (€)",
        "table.partners": "Partenaires",
        "table.beneficiaries": "Forces bénéficiaires",
        "table.description": "Description",
        "table.sheet": "Programmes",
        "table.about_sheet": "Informations",
        "table.about.filters": "Filtres",
        "table.about.count": "Nombre de programmes",
        "table.about.date": "Date des données",
        "table.about.source": "Sources",
        "table.about.marking": "Mention",
        "http.login_required": "Authentification requise.",
        "http.too_many_attempts": "Trop d'essais infructueux ; réessayer dans une minute.",
        "http.misconfigured": "Le contrôle d'accès est mal configuré ; voir le journal du "
                              "serveur.",
        "http.editors_only": "Réservé aux éditeurs.",
        "http.cross_site": "Les requêtes venant d'un autre site ne sont pas acceptées.",
        "http.internal_error": "Erreur interne du serveur. Elle a été consignée dans le journal.",
        "http.error": "Erreur HTTP {code} ({name}).",
        "problem.at.row": ", ligne {row}",
        "problem.at.column": ", colonne {column}",
        "problem.at.value": " (valeur : {value})",
        "problem.report": "Données non valides dans {source} : {errors} erreur(s), "
                          "{warnings} avertissement(s)",
        "problem.severity.error": "erreur",
        "problem.severity.warning": "avertissement",
        "problem.did_you_mean": " ; vouliez-vous dire {suggestion}\u00a0?",
        "problem.or": " ou ",
        "problem.source.not_found": "dossier de données ou classeur introuvable",
        "problem.source.not_data": "un dossier de fichiers CSV ou un classeur Excel (.xlsx) "
                                   "est attendu",
        "problem.source.workbooks": "plusieurs classeurs trouvés ({names}) : indiquer celui "
                                    "à charger",
        "problem.source.no_file": "aucun fichier de données trouvé",
        "problem.source.no_version": "version inconnue",
        "problem.file.missing": "fichier absent de {folder} (présents : {found})",
        "problem.file.missing_no_csv": "fichier absent de {folder} (aucun fichier CSV)",
        "problem.file.not_found": "fichier introuvable",
        "problem.file.unreadable": "illisible ({reason})",
        "problem.file.error": "illisible : {reason}",
        "problem.file.not_workbook": "ne s'ouvre pas comme un classeur Excel (.xlsx) : {reason}",
        "problem.file.sheet_missing": "feuille absente du classeur (feuilles : {found})",
        "problem.csv.is_workbook": "c'est un classeur Excel, pas un fichier CSV : "
                                   "l'enregistrer en CSV, ou charger le .xlsx",
        "problem.csv.binary": "contenu binaire : ce n'est pas un fichier texte CSV",
        "problem.csv.encoding": "texte illisible en UTF-8 comme en Windows-1252 "
                                "(l'enregistrer depuis Excel en CSV UTF-8)",
        "problem.table.empty": "le tableau est vide : une ligne d'en-tête avec les noms des "
                               "colonnes est attendue",
        "problem.column.repeated": "colonne présente plusieurs fois ; seule la première est lue",
        "problem.row.extra_cells": "cette ligne a plus de cellules que l'en-tête n'a de "
                                   "colonnes ({columns}) ; une valeur contient-elle le "
                                   "séparateur sans guillemets\u00a0?",
        "problem.column.missing": "colonne obligatoire absente",
        "problem.column.missing_close": "colonne obligatoire absente («\u00a0{close}\u00a0» "
                                        "est-elle {field}\u00a0?)",
        "problem.value.required": "une valeur est obligatoire",
        "problem.value.duplicate": "{field} en double : déjà utilisé ligne {first}",
        "problem.value.number": "nombre attendu (p. ex. 14,6928 ou 14.6928)",
        "problem.value.integer": "nombre entier attendu (p. ex. 3)",
        "problem.value.year": "année attendue (p. ex. 1998)",
        "problem.value.date": "date attendue au format AAAA-MM-JJ",
        "problem.value.colour": "couleur hexadécimale attendue (p. ex. #1f77b4)",
        "problem.value.choice": "valeur attendue parmi : {choices}",
        "problem.value.choices": "valeurs attendues parmi : {choices} "
                                 "(plusieurs valeurs séparées par |)",
        "problem.value.range": "valeur attendue entre {minimum} et {maximum}",
        "problem.value.minimum": "valeur attendue supérieure ou égale à {minimum}",
        "problem.value.check": "contrôle non satisfait : {check}",
        "problem.unknown.country": "code pays inconnu «\u00a0{written}\u00a0»",
        "problem.unknown.post": "poste inconnu «\u00a0{written}\u00a0»",
        "problem.unknown.theme": "thème inconnu «\u00a0{written}\u00a0»",
        "problem.coverage.duplicate_row": "ligne en double : {post} couvre déjà {country} "
                                          "ligne {first}",
        "problem.coverage.covered_twice": "{country} est déjà couvert par {post} "
                                          "(ligne {first}) ; un pays est couvert par un seul "
                                          "poste au plus",
        "problem.host.must_be_resident": "{country} est le pays hôte de {post} : son rôle doit "
                                         "être 'resident'",
        "problem.host.resident_elsewhere": "'resident' est réservé au pays hôte du poste "
                                           "(le pays hôte de {post} est {host}) ; utiliser "
                                           "'regional'",
        "problem.host.uncovered": "le poste {post} ({post_file} ligne {post_row}) n'a pas de ligne "
                                  "couvrant son pays hôte {country} comme 'resident'",
        "problem.dates.order": "end_date est antérieure à start_date ({start})",
        "problem.status.completed_future": "le statut est 'completed' mais end_date est "
                                           "postérieure à la date des données ({date})",
        "problem.status.planned_past": "le statut est 'planned' mais start_date est "
                                       "antérieure à la date des données ({date})",
        "problem.status.active_future": "le statut est 'active' mais start_date est "
                                        "postérieure à la date des données ({date})",
        "problem.status.active_past": "le statut est 'active' mais end_date est antérieure "
                                      "à la date des données ({date})",
        "problem.meta.data_date": "data_date attend une date au format AAAA-MM-JJ (la date "
                                  "que décrivent les données)",
        "problem.upload.too_large": "plus de {megabytes} Mo",
        "problem.upload.csv_name": "{name} : un fichier CSV doit porter le nom de son tableau "
                                   "({tables})",
        "problem.upload.extension": "{name} : seuls les fichiers .xlsx et .csv sont acceptés",
        "problem.upload.twice": "{name} : le même tableau a été envoyé deux fois",
        "problem.upload.no_file": "aucun fichier",
        "problem.upload.mixed": "envoyer soit un classeur, soit des fichiers CSV, pas les deux",
        "problem.upload.not_workbook": "le fichier .xlsx n'est pas un classeur Excel",
        "problem.upload.workbook_damaged": "le fichier .xlsx est endommagé",
        "problem.upload.workbook_too_large": "le fichier .xlsx est trop volumineux "
                                             "une fois décompressé",
        "problem.upload.csv_is_workbook": "{name} est un classeur Excel : l'envoyer en .xlsx",
        "problem.upload.csv_binary": "{name} n'est pas un fichier texte",
        "problem.upload.damaged": "l'envoi est endommagé",
    },
    "en": {
        "app.title": "Atlas · international security-cooperation network",
        "app.demo_banner": "Demonstration data: the programmes are fictitious",
        "update.upload": "Update the data",
        "update.upload.hint": "An .xlsx workbook or CSV files "
                              "(posts, coverage, programmes, themes)",
        "update.not_editor": "Only editors may update the data.",
        "update.disabled": "Updates are off (ATLAS_DATA_ROOT is not set).",
        "update.rejected": "Files refused: {reason}. The data served has not changed.",
        "update.invalid": "Invalid data: {errors} error(s). The data served has not changed "
                          "(version {version}).",
        "update.more": "… and {n} more problem(s).",
        "update.done": "Data updated: version {version} ({posts} posts, {programmes} programmes).",
        "update.reload": "Reload the page to show it",
        "update.dated.meta": "Data as of {date} (the date in the meta table).",
        "update.dated.option": "Data as of {date} (the date given to the publish).",
        "update.dated.publish_day": "Data as of {date}: the data gives no date of its own "
                                    "(meta table, key data_date), so the publish day was "
                                    "used.",
        "update.warnings": "{n} warning(s): the data is served, but worth checking",
        "update.column.file": "File",
        "update.column.row": "Row",
        "update.column.column": "Column",
        "update.column.value": "Value",
        "update.column.problem": "Problem",
        "lang.switch": "Language",
        "lang.fr": "Français (French)",
        "lang.en": "English",
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
        "filters.layers.labels": "Country names",
        "filters.themes": "Threats and fields",
        "filters.types": "Cooperation type",
        "filters.status": "Status",
        "filters.regions": "Region",
        "filters.years": "Years",
        "filters.beneficiaries": "Beneficiary force",
        "filters.partners": "Partners and funders",
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
        "panel.label": "Details panel",
        "panel.search.label": "Search a country, a city or a post",
        "panel.search.placeholder": "Search a country, a city…",
        "panel.search.typing": "Country or city name",
        "panel.search.none": "No country or city of that name",
        "panel.kind.country": "country",
        "panel.kind.post": "post",
        "panel.close": "Close the panel (Esc)",
        "panel.zoom.country": "Zoom to the country",
        "panel.zoom.post": "Zoom to the post's area",
        "panel.post.title": "{city} post",
        "panel.post.kicker": "Post",
        "panel.country.kicker": "Country",
        "panel.coverage.host": "Seat of the {city} post.",
        "panel.coverage.regional": "Covered from the {city} post ({country}).",
        "panel.coverage.none": "No post covers this country.",
        "panel.open_post": "Open the {city} post's panel",
        "panel.section.post": "The post",
        "panel.section.area": "Countries covered by the post",
        "panel.section.programmes": "Programmes matching the filters",
        "panel.section.themes": "By threat and field",
        "panel.section.timeline": "Programmes running per year",
        "panel.section.list": "List of programmes",
        "panel.post.head": "Head of post",
        "panel.post.opened": "Opened",
        "panel.post.staff": "Staff",
        "panel.post.also_covers": "Also covers",
        "panel.post.only_host": "Covers its host country only.",
        "panel.post.host": "host country",
        "panel.figure.programmes": "programmes",
        "panel.figure.budget": "budget attributed",
        "panel.figure.countries": "countries",
        "panel.figure.staff": "staff",
        "panel.budget_note": "A multi-country programme's budget is split evenly between its "
                             "countries.",
        "panel.outside": "{n} more programme(s) outside the filters.",
        "panel.empty.filtered": "No programme matches the filters ({n} outside the filters).",
        "panel.empty.country": "No programme recorded in this country.",
        "panel.empty.post": "No programme recorded in this post's area.",
        "panel.themes_note": "A programme may address several threats.",
        "panel.col.title": "Title",
        "panel.col.type": "Type",
        "panel.col.status": "Status",
        "panel.col.dates": "Period",
        "panel.col.budget": "Budget",
        "panel.col.partners": "Partners",
        "panel.sort": "Sort by {column}",
        "panel.count.programmes": "{n} programme(s) matching the filters",
        "panel.partners": "Partners: {names}",
        "map.label": "Map of the security-cooperation network",
        "source": "Sources: DCIS (data); Natural Earth (borders)",
        "export.button": "Export",
        "export.dialog_title": "Export the map",
        "export.close": "Close",
        "export.map": "Map image",
        "export.format": "Format",
        "export.format.png": "PNG (image)",
        "export.format.svg": "SVG (vector)",
        "export.format.pdf": "PDF",
        "export.format.pptx": "PowerPoint",
        "export.size": "Size",
        "export.size.16:9": "16:9 (screen)",
        "export.size.4:3": "4:3",
        "export.size.a4": "A4 landscape",
        "export.scale": "Image resolution",
        "export.scale.1": "Normal",
        "export.scale.2": "Double (×2)",
        "export.title": "Title",
        "export.include": "Include",
        "export.include.legend": "Legend",
        "export.include.kpis": "Key figures",
        "export.include.filters": "Active filters",
        "export.marking": "Protective marking",
        "export.marking.hint": "For example: RESTRICTED (leave empty for none)",
        "export.download": "Download the map",
        "export.cancel": "Cancel",
        "export.data": "Programmes matching the filters",
        "export.csv": "Programmes (CSV)",
        "export.xlsx": "Programmes (Excel)",
        "export.ready": "File ready: {name}",
        "export.failed": "The export failed: {error}",
        "export.data_date": "Data as of {date}",
        "export.title.budget": "Programme budget",
        "export.title.n_themes": "{n} threats and fields",
        "export.filters.country": "Highlighted country",
        "export.filters.post": "Highlighted post",
        "export.notes.title": "Title",
        "export.notes.filters": "Active filters",
        "export.notes.kpis": "Key figures",
        "export.notes.date": "Data date",
        "export.notes.source": "Sources",
        "export.notes.marking": "Marking",
        "table.programme_id": "ID",
        "table.title": "Title",
        "table.countries": "Countries",
        "table.country_codes": "Country codes (ISO3)",
        "table.lead_post": "Lead post",
        "table.themes": "Threats and fields",
        "table.type": "Cooperation type",
        "table.status": "Status",
        "table.start": "Start",
        "table.end": "End",
        "table.budget": "Budget (€)",
        "table.partners": "Partners",
        "table.beneficiaries": "Beneficiary forces",
        "table.description": "Description",
        "table.sheet": "Programmes",
        "table.about_sheet": "About",
        "table.about.filters": "Filters",
        "table.about.count": "Number of programmes",
        "table.about.date": "Data date",
        "table.about.source": "Sources",
        "table.about.marking": "Marking",
        "http.login_required": "Authentication required.",
        "http.too_many_attempts": "Too many failed attempts; try again in a minute.",
        "http.misconfigured": "Access control is misconfigured; see the server log.",
        "http.editors_only": "Only editors may do this.",
        "http.cross_site": "Cross-site requests are not allowed.",
        "http.internal_error": "Internal server error. It has been logged.",
        "http.error": "HTTP error {code} ({name}).",
        "problem.at.row": ", row {row}",
        "problem.at.column": ", column {column}",
        "problem.at.value": " (value: {value})",
        "problem.report": "Invalid network data in {source}: {errors} error(s), "
                          "{warnings} warning(s)",
        "problem.severity.error": "error",
        "problem.severity.warning": "warning",
        "problem.did_you_mean": "; did you mean {suggestion}?",
        "problem.or": " or ",
        "problem.source.not_found": "data folder or workbook not found",
        "problem.source.not_data": "expected a folder of CSV files or an Excel workbook (.xlsx)",
        "problem.source.workbooks": "several workbooks found ({names}); point to the one to load",
        "problem.source.no_file": "no data file found",
        "problem.source.no_version": "no such version",
        "problem.file.missing": "file not found in {folder} (found: {found})",
        "problem.file.missing_no_csv": "file not found in {folder} (found: no CSV file)",
        "problem.file.not_found": "file not found",
        "problem.file.unreadable": "cannot be read ({reason})",
        "problem.file.error": "cannot be read: {reason}",
        "problem.file.not_workbook": "cannot be opened as an Excel workbook (.xlsx): {reason}",
        "problem.file.sheet_missing": "sheet not found in the workbook (sheets: {found})",
        "problem.csv.is_workbook": "this is an Excel workbook, not a CSV file: save it as CSV, "
                                   "or load the .xlsx",
        "problem.csv.binary": "binary content: not a CSV text file",
        "problem.csv.encoding": "cannot be decoded as UTF-8 or Windows-1252 text "
                                "(save it from Excel as CSV UTF-8)",
        "problem.table.empty": "the table is empty: expected a header row with the column names",
        "problem.column.repeated": "column appears more than once; only the first one is read",
        "problem.row.extra_cells": "this row has more cells than the header has columns "
                                   "({columns}); does a value contain the separator "
                                   "without quotes?",
        "problem.column.missing": "required column is missing",
        "problem.column.missing_close": "required column is missing "
                                        "(is '{close}' meant to be {field}?)",
        "problem.value.required": "a value is required",
        "problem.value.duplicate": "duplicate {field}: already used on row {first}",
        "problem.value.number": "expected a number (e.g. 14.6928 or 14,6928)",
        "problem.value.integer": "expected a whole number (e.g. 3)",
        "problem.value.year": "expected a year (e.g. 1998)",
        "problem.value.date": "expected a date as YYYY-MM-DD",
        "problem.value.colour": "expected a hex colour (e.g. #1f77b4)",
        "problem.value.choice": "expected one of: {choices}",
        "problem.value.choices": "expected one of: {choices} (several values separated by |)",
        "problem.value.range": "expected a value between {minimum} and {maximum}",
        "problem.value.minimum": "expected a value >= {minimum}",
        "problem.value.check": "check failed: {check}",
        "problem.unknown.country": "unknown country code '{written}'",
        "problem.unknown.post": "unknown post '{written}'",
        "problem.unknown.theme": "unknown theme '{written}'",
        "problem.coverage.duplicate_row": "duplicate row: {post} already covers {country} "
                                          "on row {first}",
        "problem.coverage.covered_twice": "{country} is already covered by {post} "
                                          "(row {first}); a country is covered by at most "
                                          "one post",
        "problem.host.must_be_resident": "{country} is the host country of {post}: its role "
                                         "must be 'resident'",
        "problem.host.resident_elsewhere": "'resident' is only for the host country of the "
                                           "post ({post} is in {host}); use 'regional'",
        "problem.host.uncovered": "post {post} ({post_file} row {post_row}) has no row "
                                  "covering its host country {country} as 'resident'",
        "problem.dates.order": "end_date is before start_date ({start})",
        "problem.status.completed_future": "status is 'completed' but end_date is after "
                                           "the data's date ({date})",
        "problem.status.planned_past": "status is 'planned' but start_date is before the "
                                       "data's date ({date})",
        "problem.status.active_future": "status is 'active' but start_date is after the "
                                        "data's date ({date})",
        "problem.status.active_past": "status is 'active' but end_date is before the "
                                      "data's date ({date})",
        "problem.meta.data_date": "data_date expects a date as YYYY-MM-DD (the date the "
                                  "data describes)",
        "problem.upload.too_large": "more than {megabytes} MB",
        "problem.upload.csv_name": "{name}: a CSV file must be named after its table ({tables})",
        "problem.upload.extension": "{name}: only .xlsx and .csv files are accepted",
        "problem.upload.twice": "{name}: the same table was sent twice",
        "problem.upload.no_file": "no file",
        "problem.upload.mixed": "send either one workbook or CSV files, not both",
        "problem.upload.not_workbook": "the .xlsx file is not an Excel workbook",
        "problem.upload.workbook_damaged": "the .xlsx file is damaged",
        "problem.upload.workbook_too_large": "the .xlsx file is too large once unpacked",
        "problem.upload.csv_is_workbook": "{name} is an Excel workbook: upload it as .xlsx",
        "problem.upload.csv_binary": "{name} is not a text file",
        "problem.upload.damaged": "the upload is damaged",
    },
}


def lang_or_default(lang: str | None) -> str:
    """``lang`` when supported, else the default language."""
    return lang if lang in LANGS else DEFAULT_LANG


def has_text(key: str) -> bool:
    """True when the catalogue has ``key``."""
    return key in TEXTS[DEFAULT_LANG]


def t(key: str, lang: str = DEFAULT_LANG) -> str:
    """The text for ``key`` in ``lang``."""
    return TEXTS[lang_or_default(lang)][key]


def describe(key: str, lang: str, params: Mapping[str, object]) -> str:
    """Catalogue entry ``key`` in ``lang`` filled with ``params``.

    A parameter may be a ``{"fr": ..., "en": ...}`` mapping (picked by language) or a list
    (joined with commas). ``suggestion``, when given and not empty, adds "did you mean ...?",
    its alternatives joined by "or".
    """
    values = {name: _localised(value, lang) for name, value in params.items()}
    text = t(key, lang).format(**values)
    suggestion = params.get("suggestion")
    if suggestion:
        alternatives = suggestion if isinstance(suggestion, (list, tuple)) else [suggestion]
        joined = t("problem.or", lang).join(_localised(item, lang) for item in alternatives)
        text += t("problem.did_you_mean", lang).format(suggestion=joined)
    return text


def _localised(value: object, lang: str) -> str:
    if isinstance(value, Mapping):
        return str(value.get(lang_or_default(lang), value.get(DEFAULT_LANG, "")))
    if isinstance(value, (list, tuple)):
        return ", ".join(_localised(item, lang) for item in value)
    if isinstance(value, float):
        return format_decimal(value, locale=_LOCALES[lang_or_default(lang)])
    return str(value)


def format_number(value: float, lang: str = DEFAULT_LANG) -> str:
    """1 234,5 (fr) / 1,234.5 (en)."""
    return format_decimal(value, locale=_LOCALES[lang_or_default(lang)])


def format_money(value: float, lang: str = DEFAULT_LANG) -> str:
    """Compact euros: 48,2 M € (fr) / €48.2M (en)."""
    return format_compact_currency(
        value, "EUR", locale=_LOCALES[lang_or_default(lang)], fraction_digits=1
    )


def format_month(value: date, lang: str = DEFAULT_LANG) -> str:
    """mars 2026 (fr) / Mar 2026 (en)."""
    return format_date(value, "MMM y", locale=_LOCALES[lang_or_default(lang)])


def format_day(value: date, lang: str = DEFAULT_LANG) -> str:
    """15 mars 2026 (fr) / 15 March 2026 (en)."""
    return format_date(value, "long", locale=_LOCALES[lang_or_default(lang)])
