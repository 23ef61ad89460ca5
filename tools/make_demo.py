"""Generate the shipped DEMONSTRATION data set in ``geodata/demo/``.

Run ``python -m tools.make_demo`` from the repository root (optionally with an output folder) to
rewrite the CSV files ``themes.csv``, ``posts.csv``, ``coverage.csv``, ``programmes.csv`` and
``meta.csv`` (the data's own date, :data:`REFERENCE_DATE`).

- Posts and coverage follow the public facts gathered in ``reference/network-facts.md`` where
  they exist (cities, opening years, staff of Madrid, regional coverage of Madrid, Belgrade,
  New Delhi, Singapore, Riga, Bucharest, Brussels, Pretoria...) and are filled in plausibly
  elsewhere, so that the totals resemble the public figures (76 posts, about 300 staff of
  whom 18 civil-security experts, 157 countries covered).
- Programmes are ILLUSTRATIVE and FICTIONAL, except the publicly known named programmes
  (GAR-SI Sahel, EUCAP Sahel, SEACOP, AIRCOP, EL PAcCTO, Euromed Police IV, ALCORCA, the
  Dakar regional cybersecurity school, regional schools) which carry their public facts.

The output is deterministic: a fixed random seed, no set iteration, explicit number
formatting and a stable row order, so two runs write byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

from geodata.countries import load_countries
from geodata.loading import DEMO_DIR
from geodata.regions import continent_sets

SEED = 20261123
REFERENCE_DATE = date(2026, 11, 23)  # the demo's own date: every status is consistent with it
FIRST_DAY = date(2018, 1, 1)
LAST_DAY = date(2027, 12, 31)

# --------------------------------------------------------------------------------------------
# Themes
# --------------------------------------------------------------------------------------------

# Okabe-Ito (black left out) first, then ColorBrewer Dark2 and Paired hues, all distinct.
THEMES: list[tuple[str, str, str, str]] = [
    ("terrorism", "Terrorisme", "Counter-terrorism", "#D55E00"),
    ("organised_crime", "Criminalité organisée", "Organised crime", "#0072B2"),
    ("drugs", "Trafic de stupéfiants", "Drug trafficking", "#009E73"),
    ("irregular_migration", "Immigration irrégulière", "Irregular migration", "#E69F00"),
    ("human_trafficking", "Traite des êtres humains", "Human trafficking", "#CC79A7"),
    ("cybercrime", "Cybercriminalité", "Cybercrime", "#56B4E9"),
    ("arms_trafficking", "Trafic d'armes", "Arms trafficking", "#F0E442"),
    ("document_fraud", "Fraude documentaire", "Document fraud", "#7570B3"),
    ("public_order", "Maintien de l'ordre", "Public order", "#E7298A"),
    ("forensics", "Police technique et scientifique", "Forensics", "#66A61E"),
    ("criminal_investigation", "Police judiciaire", "Criminal investigation", "#A6761D"),
    ("airport_security", "Sûreté aéroportuaire", "Airport security", "#666666"),
    (
        "civil_protection",
        "Sécurité civile et gestion de crise",
        "Civil protection and crisis management",
        "#6A3D9A",
    ),
    ("road_safety", "Sécurité routière", "Road safety", "#FDBF6F"),
    ("governance", "Gouvernance", "Governance", "#A6CEE3"),
    ("intelligence", "Renseignement", "Intelligence", "#FB9A99"),
    ("environmental_crime", "Criminalité environnementale", "Environmental crime", "#B2DF8A"),
    ("money_laundering", "Blanchiment", "Money laundering", "#B15928"),
]

# How a theme reads inside a title: (French noun phrase with its article, English phrase).
THEME_PHRASES: dict[str, tuple[str, str]] = {
    "terrorism": ("la lutte antiterroriste", "counter-terrorism"),
    "organised_crime": ("la lutte contre la criminalité organisée", "fighting organised crime"),
    "drugs": ("la lutte contre le trafic de stupéfiants", "counter-narcotics"),
    "irregular_migration": (
        "la lutte contre l'immigration irrégulière",
        "countering irregular migration",
    ),
    "human_trafficking": (
        "la lutte contre la traite des êtres humains",
        "combating human trafficking",
    ),
    "cybercrime": ("la lutte contre la cybercriminalité", "fighting cybercrime"),
    "arms_trafficking": ("la lutte contre le trafic d'armes", "countering arms trafficking"),
    "document_fraud": ("la détection de la fraude documentaire", "detecting document fraud"),
    "public_order": ("le maintien de l'ordre", "public order management"),
    "forensics": ("la police technique et scientifique", "forensic science"),
    "criminal_investigation": ("les techniques d'enquête judiciaire", "criminal investigation"),
    "airport_security": ("la sûreté aéroportuaire", "airport security"),
    "civil_protection": ("la sécurité civile", "civil protection and crisis management"),
    "road_safety": ("la sécurité routière", "road safety"),
    "governance": ("la gouvernance des forces de sécurité", "security-sector governance"),
    "intelligence": ("l'analyse du renseignement criminel", "criminal intelligence analysis"),
    "environmental_crime": (
        "la lutte contre la criminalité environnementale",
        "fighting environmental crime",
    ),
    "money_laundering": ("la lutte contre le blanchiment", "anti-money laundering"),
}

# --------------------------------------------------------------------------------------------
# Posts and coverage
# --------------------------------------------------------------------------------------------

ASI = "Attaché de sécurité intérieure"
ASI_REGIONAL = "Attaché de sécurité intérieure régional"

# post_id, city, host, lat, lon, opened (None = unknown), police, gendarmerie, civil security,
# head title, countries also covered (role "regional"), in that order.
# Facts from network-facts.md: cities of the known posts; opened: Bamako 1961, Abidjan 1962,
# Moroni 1986, Bogota 1990, Singapore 1992, Riga 1992, Beirut 1996, Tirana 1998, Hanoi 1999,
# Tbilisi 2002; Madrid 17 staff; Abidjan attaché + deputy + 4 cooperation staff; regional
# coverage of Madrid, Belgrade, New Delhi, Singapore, Riga, Bucharest, Brussels, Pretoria;
# Zagreb (Balkans coordination) and Dakar (Sahel regional post, 2013) are regional posts.
POSTS: list[tuple] = [
    # --- Europe -------------------------------------------------------------------------------
    ("SSI-MADRID", "Madrid", "ESP", 40.4168, -3.7038, 1982, 9, 7, 1, ASI, ["AND"]),
    ("SSI-LISBONNE", "Lisbonne", "PRT", 38.7223, -9.1393, 1986, 2, 1, 0, ASI, []),
    ("SSI-ROME", "Rome", "ITA", 41.9028, 12.4964, 1975, 4, 3, 0, ASI, ["VAT", "SMR", "MLT"]),
    ("SSI-ATHENES", "Athènes", "GRC", 37.9838, 23.7275, 1988, 2, 1, 0, ASI, ["CYP"]),
    ("SSI-BRUXELLES", "Bruxelles", "BEL", 50.8503, 4.3517, 1990, 3, 2, 0, ASI, ["NLD", "LUX"]),
    ("SSI-BERLIN", "Berlin", "DEU", 52.5163, 13.3806, 1991, 4, 2, 1, ASI, []),
    ("SSI-LONDRES", "Londres", "GBR", 51.5074, -0.1278, 1989, 4, 3, 0, ASI, []),
    (
        "SSI-VIENNE", "Vienne", "AUT", 48.2082, 16.3738, 1993, 2, 1, 0, ASI_REGIONAL,
        ["CHE", "LIE", "SVK", "HUN"],
    ),
    ("SSI-VARSOVIE", "Varsovie", "POL", 52.2297, 21.0122, 1991, 2, 1, 0, ASI, ["CZE"]),
    ("SSI-BUCAREST", "Bucarest", "ROU", 44.4268, 26.1025, 1991, 2, 2, 0, ASI, ["MDA"]),
    ("SSI-SOFIA", "Sofia", "BGR", 42.6977, 23.3219, 1992, 2, 1, 0, ASI, ["MKD"]),
    ("SSI-BELGRADE", "Belgrade", "SRB", 44.7866, 20.4489, 1997, 2, 2, 0, ASI, ["MNE"]),
    ("SSI-ZAGREB", "Zagreb", "HRV", 45.8150, 15.9819, 1996, 2, 1, 0, ASI_REGIONAL, ["SVN"]),
    ("SSI-SARAJEVO", "Sarajevo", "BIH", 43.8563, 18.4131, 1999, 2, 1, 0, ASI, []),
    ("SSI-TIRANA", "Tirana", "ALB", 41.3275, 19.8187, 1998, 2, 2, 0, ASI, ["KOS"]),
    ("SSI-RIGA", "Riga", "LVA", 56.9496, 24.1052, 1992, 1, 1, 0, ASI_REGIONAL, ["EST", "LTU"]),
    ("SSI-KYIV", "Kyiv", "UKR", 50.4501, 30.5234, 1993, 2, 2, 0, ASI, []),
    ("SSI-MOSCOU", "Moscou", "RUS", 55.7558, 37.6173, 1976, 3, 2, 0, ASI, []),
    # --- Africa -------------------------------------------------------------------------------
    ("SSI-BAMAKO", "Bamako", "MLI", 12.6392, -8.0029, 1961, 3, 3, 1, ASI, []),
    (
        "SSI-DAKAR", "Dakar", "SEN", 14.6928, -17.4467, 1961, 4, 3, 1, ASI_REGIONAL,
        ["GMB", "GNB", "CPV"],
    ),
    ("SSI-NOUAKCHOTT", "Nouakchott", "MRT", 18.0735, -15.9582, 1963, 2, 2, 0, ASI, []),
    ("SSI-ABIDJAN", "Abidjan", "CIV", 5.3600, -4.0083, 1962, 3, 3, 0, ASI, ["LBR"]),
    ("SSI-CONAKRY", "Conakry", "GIN", 9.6412, -13.5784, 1964, 2, 1, 0, ASI, ["SLE"]),
    ("SSI-OUAGADOUGOU", "Ouagadougou", "BFA", 12.3714, -1.5197, 1961, 2, 1, 0, ASI, []),
    ("SSI-NIAMEY", "Niamey", "NER", 13.5116, 2.1254, 1962, 2, 2, 0, ASI, []),
    ("SSI-NDJAMENA", "N'Djamena", "TCD", 12.1348, 15.0557, 1962, 2, 2, 0, ASI, []),
    ("SSI-ABUJA", "Abuja", "NGA", 9.0765, 7.3986, 2000, 2, 1, 0, ASI, []),
    ("SSI-ACCRA", "Accra", "GHA", 5.6037, -0.1870, 2008, 1, 1, 0, ASI, []),
    ("SSI-COTONOU", "Cotonou", "BEN", 6.3703, 2.3912, 1963, 2, 1, 0, ASI, ["TGO"]),
    (
        "SSI-YAOUNDE", "Yaoundé", "CMR", 3.8480, 11.5021, 1961, 2, 2, 1, ASI_REGIONAL,
        ["CAF", "GNQ"],
    ),
    ("SSI-LIBREVILLE", "Libreville", "GAB", 0.4162, 9.4673, 1962, 1, 1, 0, ASI, ["STP"]),
    ("SSI-KINSHASA", "Kinshasa", "COD", -4.4419, 15.2663, 1969, 2, 1, 0, ASI, ["COG"]),
    ("SSI-LUANDA", "Luanda", "AGO", -8.8390, 13.2894, 2005, 1, 1, 0, ASI, []),
    (
        "SSI-PRETORIA", "Pretoria", "ZAF", -25.7479, 28.2293, 1995, 2, 1, 0, ASI_REGIONAL,
        ["NAM", "BWA", "LSO", "SWZ", "ZWE", "MOZ"],
    ),
    (
        "SSI-NAIROBI", "Nairobi", "KEN", -1.2921, 36.8219, 1998, 2, 2, 0, ASI_REGIONAL,
        ["UGA", "TZA"],
    ),
    ("SSI-ADDIS-ABEBA", "Addis-Abeba", "ETH", 9.0054, 38.7636, 2007, 1, 1, 0, ASI, []),
    ("SSI-DJIBOUTI", "Djibouti", "DJI", 11.5890, 43.1450, 1978, 2, 1, 0, ASI, []),
    ("SSI-KIGALI", "Kigali", "RWA", -1.9441, 30.0619, 2011, 1, 1, 0, ASI, ["BDI"]),
    ("SSI-ANTANANARIVO", "Antananarivo", "MDG", -18.8792, 47.5079, 1961, 2, 1, 1, ASI, []),
    ("SSI-MORONI", "Moroni", "COM", -11.7172, 43.2473, 1986, 1, 1, 0, ASI, []),
    ("SSI-PORT-LOUIS", "Port-Louis", "MUS", -20.1609, 57.5012, 1974, 1, 1, 1, ASI, ["SYC"]),
    ("SSI-RABAT", "Rabat", "MAR", 34.0209, -6.8416, 1962, 4, 3, 1, ASI, []),
    ("SSI-ALGER", "Alger", "DZA", 36.7538, 3.0588, 1963, 4, 2, 1, ASI, []),
    ("SSI-TUNIS", "Tunis", "TUN", 36.8065, 10.1815, 1962, 3, 3, 1, ASI, ["LBY"]),
    ("SSI-LE-CAIRE", "Le Caire", "EGY", 30.0444, 31.2357, 1980, 2, 2, 0, ASI, ["SDN"]),
    # --- Middle East and Caucasus -------------------------------------------------------------
    ("SSI-BEYROUTH", "Beyrouth", "LBN", 33.8938, 35.5018, 1996, 3, 2, 1, ASI, []),
    ("SSI-AMMAN", "Amman", "JOR", 31.9454, 35.9284, 2003, 2, 1, 0, ASI, ["PSE"]),
    ("SSI-BAGDAD", "Bagdad", "IRQ", 33.3152, 44.3661, 2009, 2, 1, 0, ASI, []),
    ("SSI-RIYAD", "Riyad", "SAU", 24.7136, 46.6753, 2006, 1, 1, 0, ASI, ["KWT", "BHR"]),
    (
        "SSI-ABOU-DHABI", "Abou Dhabi", "ARE", 24.4539, 54.3773, 2010, 2, 1, 1, ASI,
        ["OMN", "QAT"],
    ),
    ("SSI-ANKARA", "Ankara", "TUR", 39.9334, 32.8597, 1985, 3, 2, 0, ASI, []),
    ("SSI-TEL-AVIV", "Tel-Aviv", "ISR", 32.0853, 34.7818, 1995, 2, 2, 0, ASI, []),
    ("SSI-TBILISSI", "Tbilissi", "GEO", 41.7151, 44.8271, 2002, 1, 1, 0, ASI, ["ARM", "AZE"]),
    # --- Asia and Oceania ---------------------------------------------------------------------
    ("SSI-ISLAMABAD", "Islamabad", "PAK", 33.6844, 73.0479, 2004, 2, 1, 0, ASI, []),
    (
        "SSI-NEW-DELHI", "New Delhi", "IND", 28.6139, 77.2090, 2000, 2, 1, 0, ASI_REGIONAL,
        ["NPL", "LKA", "MDV", "BGD"],
    ),
    ("SSI-PEKIN", "Pékin", "CHN", 39.9042, 116.4074, 1997, 4, 2, 1, ASI, ["MNG"]),
    ("SSI-TOKYO", "Tokyo", "JPN", 35.6762, 139.6503, 2001, 2, 1, 1, ASI, ["KOR"]),
    ("SSI-HANOI", "Hanoï", "VNM", 21.0278, 105.8342, 1999, 2, 1, 0, ASI, ["LAO"]),
    ("SSI-PHNOM-PENH", "Phnom Penh", "KHM", 11.5564, 104.9282, 1994, 1, 1, 0, ASI, []),
    ("SSI-BANGKOK", "Bangkok", "THA", 13.7563, 100.5018, 1989, 2, 1, 0, ASI, ["MMR"]),
    (
        "SSI-SINGAPOUR", "Singapour", "SGP", 1.2966, 103.8281, 1992, 2, 1, 0, ASI_REGIONAL,
        ["BRN", "MYS", "PHL"],
    ),
    ("SSI-JAKARTA", "Jakarta", "IDN", -6.2088, 106.8456, 2005, 1, 1, 1, ASI, ["TLS"]),
    (
        "SSI-CANBERRA", "Canberra", "AUS", -35.2809, 149.1300, 2012, 1, 1, 0, ASI_REGIONAL,
        ["NZL", "PNG", "FJI", "VUT", "SLB"],
    ),
    # --- Americas -----------------------------------------------------------------------------
    ("SSI-WASHINGTON", "Washington", "USA", 38.9072, -77.0369, 1984, 5, 3, 1, ASI, []),
    ("SSI-OTTAWA", "Ottawa", "CAN", 45.4215, -75.6972, 1995, 1, 1, 0, ASI, []),
    ("SSI-MEXICO", "Mexico", "MEX", 19.4326, -99.1332, 1987, 3, 2, 1, ASI, ["GTM", "BLZ"]),
    (
        "SSI-PANAMA", "Panama", "PAN", 8.9824, -79.5199, 2009, 1, 1, 0, ASI_REGIONAL,
        ["CRI", "NIC", "HND", "SLV"],
    ),
    (
        "SSI-BOGOTA", "Bogota", "COL", 4.7110, -74.0721, 1990, 3, 2, 0, ASI_REGIONAL,
        ["ECU", "SUR", "TTO", "LCA"],
    ),
    ("SSI-CARACAS", "Caracas", "VEN", 10.4806, -66.9036, 1992, 1, 1, 0, ASI, ["GUY"]),
    ("SSI-LIMA", "Lima", "PER", -12.0464, -77.0428, 1993, 2, 1, 0, ASI, ["BOL"]),
    ("SSI-SANTIAGO", "Santiago", "CHL", -33.4489, -70.6693, 1996, 1, 1, 0, ASI, []),
    (
        "SSI-BUENOS-AIRES", "Buenos Aires", "ARG", -34.6037, -58.3816, 1994, 2, 1, 0, ASI,
        ["URY", "PRY"],
    ),
    ("SSI-BRASILIA", "Brasilia", "BRA", -15.7939, -47.8828, 1998, 2, 1, 1, ASI, []),
    (
        "SSI-SAINT-DOMINGUE", "Saint-Domingue", "DOM", 18.4861, -69.9312, 2003, 1, 1, 0, ASI,
        ["JAM"],
    ),
    ("SSI-PORT-AU-PRINCE", "Port-au-Prince", "HTI", 18.5944, -72.3074, 1995, 2, 1, 0, ASI, []),
    ("SSI-LA-HAVANE", "La Havane", "CUB", 23.1136, -82.3666, 2001, 1, 1, 0, ASI, ["BHS"]),
]

# Opening years the public pages do not give are left empty for a few posts (as an analyst
# would), the rest are plausible.
UNKNOWN_OPENING = ("SSI-BERLIN", "SSI-LONDRES", "SSI-WASHINGTON", "SSI-TOKYO", "SSI-OTTAWA")

# --------------------------------------------------------------------------------------------
# Regions used to weight the themes of the illustrative programmes
# --------------------------------------------------------------------------------------------

GROUPS: dict[str, list[str]] = {
    "sahel": ["MLI", "NER", "BFA", "TCD", "MRT"],
    "west_africa": ["SEN", "GMB", "GNB", "CPV", "CIV", "LBR", "GIN", "SLE", "GHA", "TGO",
                    "BEN", "NGA"],
    "central_africa": ["CMR", "CAF", "GNQ", "GAB", "STP", "COD", "COG", "AGO"],
    "east_africa": ["KEN", "UGA", "TZA", "ETH", "DJI", "RWA", "BDI", "SDN", "MDG", "COM",
                    "MUS", "SYC", "MOZ"],
    "southern_africa": ["ZAF", "NAM", "BWA", "LSO", "SWZ", "ZWE"],
    "maghreb": ["MAR", "DZA", "TUN", "LBY"],
    "middle_east": ["EGY", "LBN", "JOR", "PSE", "IRQ", "SAU", "KWT", "BHR", "ARE", "OMN", "QAT",
                    "TUR", "ISR"],
    "balkans": ["SRB", "MNE", "HRV", "SVN", "BIH", "ALB", "KOS", "MKD"],
    "western_europe": ["ESP", "AND", "PRT", "ITA", "VAT", "SMR", "MLT", "GRC", "CYP", "BEL",
                       "NLD", "LUX", "DEU", "GBR", "AUT", "CHE", "LIE"],
    "eastern_europe": ["POL", "CZE", "SVK", "HUN", "ROU", "MDA", "BGR", "LVA", "EST", "LTU",
                       "UKR", "RUS", "GEO", "ARM", "AZE"],
    "south_asia": ["PAK", "IND", "NPL", "LKA", "MDV", "BGD"],
    "east_asia": ["CHN", "MNG", "JPN", "KOR"],
    "southeast_asia": ["VNM", "LAO", "KHM", "THA", "MMR", "SGP", "BRN", "MYS", "PHL", "IDN",
                       "TLS"],
    "oceania": ["AUS", "NZL", "PNG", "FJI", "VUT", "SLB"],
    "north_america": ["USA", "CAN"],
    "central_america": ["MEX", "GTM", "BLZ", "PAN", "CRI", "NIC", "HND", "SLV"],
    "caribbean": ["CUB", "BHS", "DOM", "JAM", "HTI", "TTO", "LCA"],
    "south_america": ["COL", "ECU", "SUR", "VEN", "GUY", "PER", "BOL", "CHL", "ARG", "URY",
                      "PRY", "BRA"],
}

THEME_WEIGHTS: dict[str, dict[str, int]] = {
    "sahel": {"terrorism": 10, "arms_trafficking": 5, "drugs": 5, "irregular_migration": 5,
              "public_order": 3, "intelligence": 3, "governance": 3, "document_fraud": 3,
              "forensics": 2, "criminal_investigation": 2, "civil_protection": 2,
              "human_trafficking": 2, "cybercrime": 1},
    "west_africa": {"drugs": 10, "irregular_migration": 6, "document_fraud": 5, "cybercrime": 5,
                    "airport_security": 5, "terrorism": 3, "human_trafficking": 4,
                    "money_laundering": 3, "criminal_investigation": 3, "public_order": 2,
                    "forensics": 2, "civil_protection": 2, "road_safety": 2,
                    "environmental_crime": 2, "governance": 2},
    "central_africa": {"public_order": 7, "governance": 5, "environmental_crime": 5,
                       "criminal_investigation": 4, "forensics": 4, "arms_trafficking": 3,
                       "terrorism": 3, "cybercrime": 3, "drugs": 2, "civil_protection": 2,
                       "road_safety": 2, "document_fraud": 2},
    "east_africa": {"terrorism": 5, "drugs": 4, "environmental_crime": 4, "human_trafficking": 3,
                    "irregular_migration": 3, "cybercrime": 3, "airport_security": 3,
                    "civil_protection": 3, "governance": 2, "public_order": 2, "forensics": 2,
                    "document_fraud": 2, "money_laundering": 1},
    "southern_africa": {"organised_crime": 5, "environmental_crime": 5, "cybercrime": 3,
                        "money_laundering": 3, "drugs": 3, "forensics": 3,
                        "criminal_investigation": 3, "human_trafficking": 2, "road_safety": 2,
                        "civil_protection": 1},
    "maghreb": {"irregular_migration": 9, "terrorism": 7, "document_fraud": 5, "drugs": 4,
                "cybercrime": 4, "civil_protection": 3, "airport_security": 3,
                "human_trafficking": 3, "intelligence": 2, "forensics": 2, "road_safety": 2,
                "arms_trafficking": 2},
    "middle_east": {"terrorism": 9, "cybercrime": 5, "money_laundering": 4, "intelligence": 3,
                    "irregular_migration": 3, "drugs": 3, "airport_security": 3,
                    "civil_protection": 3, "arms_trafficking": 3, "forensics": 2,
                    "document_fraud": 2, "public_order": 1},
    "balkans": {"organised_crime": 8, "irregular_migration": 7, "drugs": 5, "arms_trafficking": 5,
                "document_fraud": 4, "human_trafficking": 4, "money_laundering": 3,
                "terrorism": 2, "cybercrime": 2, "criminal_investigation": 2},
    "western_europe": {"organised_crime": 6, "terrorism": 6, "cybercrime": 6, "drugs": 4,
                       "irregular_migration": 4, "money_laundering": 3, "document_fraud": 2,
                       "forensics": 2, "human_trafficking": 2, "public_order": 2,
                       "civil_protection": 2, "road_safety": 1, "intelligence": 2},
    "eastern_europe": {"organised_crime": 6, "cybercrime": 6, "human_trafficking": 4,
                       "irregular_migration": 3, "document_fraud": 3, "arms_trafficking": 3,
                       "money_laundering": 3, "drugs": 2, "public_order": 1, "governance": 2,
                       "forensics": 1},
    "south_asia": {"terrorism": 5, "irregular_migration": 5, "document_fraud": 4,
                   "human_trafficking": 4, "cybercrime": 3, "drugs": 3, "airport_security": 2,
                   "civil_protection": 2, "money_laundering": 1},
    "east_asia": {"cybercrime": 6, "organised_crime": 4, "money_laundering": 4, "drugs": 2,
                  "document_fraud": 2, "irregular_migration": 2, "forensics": 2,
                  "civil_protection": 3, "road_safety": 1, "environmental_crime": 1},
    "southeast_asia": {"drugs": 8, "human_trafficking": 5, "cybercrime": 5, "terrorism": 3,
                       "irregular_migration": 3, "environmental_crime": 3,
                       "money_laundering": 3, "document_fraud": 2, "forensics": 1,
                       "organised_crime": 2},
    "oceania": {"drugs": 3, "environmental_crime": 3, "civil_protection": 4, "cybercrime": 3,
                "organised_crime": 3, "money_laundering": 1},
    "north_america": {"terrorism": 5, "cybercrime": 5, "organised_crime": 3, "drugs": 3,
                      "money_laundering": 3, "intelligence": 2, "forensics": 2},
    "central_america": {"drugs": 10, "organised_crime": 7, "arms_trafficking": 3,
                        "money_laundering": 3, "human_trafficking": 3, "irregular_migration": 2,
                        "criminal_investigation": 3, "forensics": 2, "public_order": 1},
    "caribbean": {"drugs": 10, "organised_crime": 5, "public_order": 3, "money_laundering": 3,
                  "arms_trafficking": 3, "civil_protection": 3, "irregular_migration": 2,
                  "governance": 2},
    "south_america": {"drugs": 10, "organised_crime": 7, "money_laundering": 5,
                      "environmental_crime": 4, "cybercrime": 3, "arms_trafficking": 2,
                      "human_trafficking": 2, "forensics": 2, "criminal_investigation": 2},
}

REGIONAL_PARTNERS: dict[str, list[str]] = {
    "sahel": ["EU", "UNODC", "Interpol", "Expertise France", "AFD", "CIVIPOL", "IOM"],
    "west_africa": ["EU", "UNODC", "Interpol", "ECOWAS", "Expertise France", "AFD", "CIVIPOL",
                    "IOM", "WCO"],
    "central_africa": ["EU", "Interpol", "Expertise France", "AFD", "CIVIPOL", "UNDP"],
    "east_africa": ["EU", "UNODC", "Interpol", "AFRIPOL", "Expertise France", "AFD", "IOM",
                    "African Union"],
    "southern_africa": ["EU", "Interpol", "UNODC", "SADC", "Expertise France", "SARPCCO"],
    "maghreb": ["EU", "Frontex", "IOM", "Europol", "CEPOL", "CIVIPOL", "Expertise France"],
    "middle_east": ["EU", "UNODC", "Interpol", "CEPOL", "CIVIPOL", "Expertise France", "UNDP"],
    "balkans": ["EU", "Europol", "Frontex", "OSCE", "Council of Europe", "CIVIPOL", "CEPOL"],
    "western_europe": ["EU", "Europol", "Eurojust", "CEPOL", "Frontex", "Interpol"],
    "eastern_europe": ["EU", "Europol", "OSCE", "Council of Europe", "Frontex", "CEPOL",
                       "CIVIPOL"],
    "south_asia": ["EU", "UNODC", "Interpol", "IOM", "Expertise France"],
    "east_asia": ["Interpol", "UNODC", "EU", "Council of Europe"],
    "southeast_asia": ["ASEANAPOL", "UNODC", "Interpol", "EU", "Expertise France"],
    "oceania": ["Pacific Islands Forum", "Interpol", "UNODC", "EU"],
    "north_america": ["Interpol", "Europol", "EU"],
    "central_america": ["EU", "UNODC", "AMERIPOL", "Interpol", "Expertise France"],
    "caribbean": ["EU", "UNODC", "Interpol", "Expertise France", "AFD"],
    "south_america": ["EU", "UNODC", "AMERIPOL", "Interpol", "Expertise France", "Europol"],
}

# A few host-country agencies by name, keyed by theme or beneficiary (theme first); elsewhere
# a generic "<agency> (<country>)" from the beneficiary.
HOST_AGENCIES: dict[str, dict[str, str]] = {
    "MLI": {"drugs": "Office central des stupéfiants (Mali)",
            "police": "Police nationale du Mali"},
    "SEN": {"drugs": "OCRTIS (Sénégal)", "gendarmerie": "Gendarmerie nationale sénégalaise"},
    "CIV": {"cybercrime": "Plateforme de lutte contre la cybercriminalité (Côte d'Ivoire)",
            "police": "Police nationale de Côte d'Ivoire"},
    "MAR": {"police": "DGSN (Maroc)", "gendarmerie": "Gendarmerie royale"},
    "DZA": {"police": "DGSN (Algérie)", "gendarmerie": "Gendarmerie nationale algérienne"},
    "TUN": {"police": "Ministère de l'Intérieur (Tunisie)",
            "gendarmerie": "Garde nationale tunisienne"},
    "LBN": {"police": "Forces de sécurité intérieure (Liban)",
            "civil_security": "Défense civile libanaise"},
    "COL": {"police": "Policía Nacional de Colombia",
            "justice": "Fiscalía General de la Nación"},
    "BRA": {"police": "Polícia Federal", "customs": "Receita Federal"},
    "MEX": {"police": "Guardia Nacional", "justice": "Fiscalía General de la República"},
    "PER": {"police": "Policía Nacional del Perú", "drugs": "DEVIDA"},
    "ESP": {"police": "Policía Nacional", "gendarmerie": "Guardia Civil"},
    "ITA": {"police": "Polizia di Stato", "gendarmerie": "Arma dei Carabinieri"},
    "DEU": {"police": "Bundeskriminalamt"},
    "GBR": {"police": "National Crime Agency"},
    "USA": {"police": "FBI", "drugs": "DEA", "customs": "Homeland Security Investigations"},
    "ALB": {"police": "Policia e Shtetit"},
    "VNM": {"police": "Ministry of Public Security (Vietnam)"},
    "THA": {"police": "Royal Thai Police"},
    "IDN": {"police": "Indonesian National Police", "terrorism": "JCLEC"},
}

# Countries with a gendarmerie-type force; elsewhere "gendarmerie" beneficiaries read "police".
GENDARMERIE_COUNTRIES = ("MLI", "NER", "BFA", "TCD", "MRT", "SEN", "CIV", "GIN", "GNB", "BEN",
                         "TGO", "CMR", "CAF", "GAB", "COG", "GNQ", "MDG", "COM", "DJI", "BDI",
                         "MAR", "DZA", "TUN", "JOR", "ESP", "ITA", "PRT", "NLD", "ROU", "MDA",
                         "TUR", "UKR", "ARG", "CHL", "MEX", "BRA", "COL")

HOST_AGENCY_BY_BENEFICIARY = {
    "police": "Police nationale", "gendarmerie": "Gendarmerie", "customs": "Douanes",
    "civil_security": "Protection civile", "justice": "Ministère de la Justice",
}

# --------------------------------------------------------------------------------------------
# Forms of action (templates of the illustrative programmes)
# --------------------------------------------------------------------------------------------

# key, French title pattern, English title pattern, cooperation type, min days, max days,
# budget range (EUR), weight. {fr} is the theme phrase with "à"/"sur"... already applied.
FORMS: list[tuple] = [
    ("training", "Formation {a} — {country_fr}", "Training in {en} — {country_en}",
     "technical", 5, 60, (20_000, 150_000), 10),
    ("seminar", "Séminaire sur {sur} — {country_fr}", "Seminar on {en} — {country_en}",
     "institutional", 2, 5, (20_000, 80_000), 5),
    ("expert", "Mission d'expertise : {fr} — {country_fr}",
     "Expert mission: {en} — {country_en}",
     "technical", 5, 30, (20_000, 100_000), 6),
    ("audit", "Audit des capacités en matière {de_bare} — {country_fr}",
     "Capability audit: {en} — {country_en}", "institutional", 20, 90, (30_000, 150_000), 3),
    ("visit", "Visite d'étude en France : {fr} — {country_fr}",
     "Study visit to France: {en} — {country_en}", "institutional", 4, 10, (20_000, 60_000), 4),
    ("equipment", "Don d'équipements pour {pour} — {country_fr}",
     "Equipment donation for {en} — {country_en}", "technical", 30, 180, (50_000, 800_000), 4),
    ("envr", "Stage en école régionale (ENVR) : {fr} — {country_fr}",
     "Course at a regional school (ENVR): {en} — {country_en}", "technical", 14, 90,
     (20_000, 120_000), 3),
    ("operational", "Appui opérationnel {a} — {country_fr}",
     "Operational support: {en} — {country_en}", "operational", 180, 730,
     (100_000, 1_500_000), 5),
    ("jit", "Coopération opérationnelle et échanges d'information : {fr} — {country_fr}",
     "Operational cooperation and information exchange: {en} — {country_en}", "operational",
     180, 720, (40_000, 400_000), 4),
    ("project", "Projet d'appui institutionnel : {fr} — {country_fr}",
     "Institutional support project: {en} — {country_en}", "institutional", 365, 1460,
     (300_000, 2_500_000), 3),
    ("partnership", "Partenariat technologique : {fr} — {country_fr}",
     "Technology partnership: {en} — {country_en}", "partnership", 180, 730,
     (100_000, 1_000_000), 2),
]
LONG_FORMS = ("operational", "jit", "project", "partnership", "equipment")
# With peer services (EU and OECD partners) the cooperation is an exchange, not assistance:
# no equipment donations, audits, institutional-support projects or operational support.
PEER_COUNTRIES = ("ESP", "AND", "PRT", "ITA", "VAT", "SMR", "MLT", "GRC", "CYP", "BEL", "NLD",
                  "LUX", "DEU", "GBR", "AUT", "CHE", "LIE", "POL", "CZE", "SVK", "HUN", "ROU",
                  "BGR", "HRV", "SVN", "LVA", "EST", "LTU", "USA", "CAN", "JPN", "KOR", "AUS",
                  "NZL", "SGP", "ISR", "ARE", "SAU", "QAT", "KWT", "BHR")
ASSISTANCE_FORMS = ("equipment", "audit", "project", "operational", "envr")
ENVR_GROUPS = ("sahel", "west_africa", "central_africa", "east_africa")

BENEFICIARIES_BY_THEME: dict[str, list[str]] = {
    "terrorism": ["police", "gendarmerie", "justice"],
    "organised_crime": ["police", "gendarmerie", "justice"],
    "drugs": ["police", "gendarmerie", "customs"],
    "irregular_migration": ["police", "gendarmerie"],
    "human_trafficking": ["police", "justice", "gendarmerie"],
    "cybercrime": ["police", "gendarmerie", "justice"],
    "arms_trafficking": ["customs", "gendarmerie", "police"],
    "document_fraud": ["police", "customs"],
    "public_order": ["gendarmerie", "police"],
    "forensics": ["police", "gendarmerie", "justice"],
    "criminal_investigation": ["police", "justice", "gendarmerie"],
    "airport_security": ["police", "customs", "gendarmerie"],
    "civil_protection": ["civil_security"],
    "road_safety": ["police", "gendarmerie", "civil_security"],
    "governance": ["police", "gendarmerie", "justice"],
    "intelligence": ["police", "gendarmerie"],
    "environmental_crime": ["gendarmerie", "customs", "police"],
    "money_laundering": ["justice", "customs", "police"],
}

# --------------------------------------------------------------------------------------------
# The public named programmes (network-facts.md). Dates/budgets as published; where a page
# gives only years, the first and last day of those years; open-ended ones end on the last
# day of the demo window (illustrative).
# --------------------------------------------------------------------------------------------

NAMED_PROGRAMMES: list[dict] = [
    {
        "title_fr": "GAR-SI Sahel — Groupes d'action rapides de surveillance et d'intervention",
        "title_en": "GAR-SI Sahel — Rapid action groups for surveillance and intervention",
        "countries": ["MRT", "MLI", "BFA", "NER", "TCD", "SEN"],
        "themes": ["terrorism", "arms_trafficking", "organised_crime"],
        "cooperation_type": "operational",
        "start": date(2017, 1, 1), "end": date(2021, 12, 31), "budget": None,
        "partners": ["EU Emergency Trust Fund for Africa", "Guardia Civil", "Carabinieri",
                     "GNR (Portugal)"],
        "beneficiaries": ["gendarmerie"],
        "description": "Création et formation d'unités de gendarmerie mobiles et polyvalentes "
                       "dans six pays du Sahel, financées par le fonds fiduciaire d'urgence "
                       "de l'UE (2017-2021).",
    },
    {
        "title_fr": "EUCAP Sahel Niger — mission civile de l'UE",
        "title_en": "EUCAP Sahel Niger — EU civilian mission",
        "countries": ["NER"],
        "themes": ["governance", "terrorism", "irregular_migration"],
        "cooperation_type": "institutional",
        "start": date(2012, 7, 16), "end": date(2024, 9, 30), "budget": None,
        "partners": ["EU"],
        "beneficiaries": ["police", "gendarmerie", "justice"],
        "description": "Mission civile de l'UE lancée en 2012 pour renforcer les capacités "
                       "des forces de sécurité intérieure nigériennes (formation, conseil); "
                       "date de fin illustrative.",
    },
    {
        "title_fr": "EUCAP Sahel Mali — mission civile de l'UE",
        "title_en": "EUCAP Sahel Mali — EU civilian mission",
        "countries": ["MLI"],
        "themes": ["governance", "terrorism"],
        "cooperation_type": "institutional",
        "start": date(2014, 4, 15), "end": date(2027, 1, 31), "budget": None,
        "partners": ["EU"],
        "beneficiaries": ["police", "gendarmerie"],
        "description": "Mission civile de l'UE lancée en 2014 : conseil stratégique et "
                       "formation de la police, de la gendarmerie et de la garde nationale "
                       "maliennes; date de fin illustrative.",
    },
    {
        "title_fr": "SEACOP — Projet de coopération portuaire (lutte contre le trafic maritime "
                    "de drogue)",
        "title_en": "SEACOP — Seaport Cooperation Project (maritime drug trafficking)",
        "countries": ["SEN", "CPV", "GMB", "GNB", "GIN", "SLE", "LBR", "CIV", "GHA", "TGO",
                      "BEN", "NGA", "MRT", "COL", "ECU", "PER", "BRA", "ARG", "PAN", "CRI",
                      "DOM", "JAM", "TTO", "LCA", "GUY", "SUR"],
        "themes": ["drugs", "organised_crime"],
        "cooperation_type": "operational",
        "start": date(2010, 1, 1), "end": date(2027, 12, 31), "budget": None,
        "partners": ["EU", "Expertise France", "UNODC"],
        "beneficiaries": ["customs", "police", "gendarmerie"],
        "description": "Programme de l'UE (phases I à VI depuis 2010) contre le trafic maritime "
                       "de stupéfiants : unités de contrôle portuaire et échange de "
                       "renseignement entre Afrique de l'Ouest, Amérique latine et Caraïbes.",
    },
    {
        "title_fr": "AIRCOP — Projet de communication aéroportuaire",
        "title_en": "AIRCOP — Airport Communication Project",
        "countries": ["SEN", "CIV", "CPV", "GHA", "MLI", "NGA", "TGO", "BRA"],
        "themes": ["airport_security", "drugs"],
        "cooperation_type": "operational",
        "start": date(2011, 1, 1), "end": date(2027, 12, 31), "budget": None,
        "partners": ["UNODC", "WCO", "Interpol", "EU"],
        "beneficiaries": ["police", "customs"],
        "description": "Cellules aéroportuaires anti-trafics conjointes et connexion aux bases "
                       "de données d'Interpol et de l'OMD dans les aéroports internationaux "
                       "(depuis 2011).",
    },
    {
        "title_fr": "EL PAcCTO — Europe-Amérique latine, programme d'assistance contre la "
                    "criminalité transnationale organisée",
        "title_en": "EL PAcCTO — Europe Latin America Assistance Programme against "
                    "Transnational Organised Crime",
        "countries": ["COL", "ARG", "BOL", "BRA", "CHL", "CRI", "ECU", "SLV", "GTM", "HND",
                      "MEX", "NIC", "PAN", "PRY", "PER", "URY", "VEN", "DOM"],
        "themes": ["organised_crime"],
        "cooperation_type": "institutional",
        "start": date(2017, 1, 1), "end": date(2022, 12, 31), "budget": 19_000_000,
        "partners": ["EU", "Expertise France", "FIIAPP", "IILA", "Camões"],
        "beneficiaries": ["police", "justice"],
        "description": "Programme de l'UE (19 M EUR, 2017-2022) d'appui à la chaîne pénale "
                       "contre la criminalité organisée dans 18 pays d'Amérique latine.",
    },
    {
        "title_fr": "EL PAcCTO 2.0 — deuxième phase",
        "title_en": "EL PAcCTO 2.0 — second phase",
        "countries": ["COL", "ARG", "BOL", "BRA", "CHL", "CRI", "ECU", "SLV", "GTM", "HND",
                      "MEX", "NIC", "PAN", "PRY", "PER", "URY", "VEN", "DOM"],
        "themes": ["organised_crime", "money_laundering"],
        "cooperation_type": "institutional",
        "start": date(2024, 1, 1), "end": date(2027, 12, 31), "budget": None,
        "partners": ["EU", "Expertise France", "FIIAPP", "IILA", "Camões"],
        "beneficiaries": ["police", "justice"],
        "description": "Deuxième phase du programme EL PAcCTO lancée en 2024 (date de fin "
                       "illustrative).",
    },
    {
        "title_fr": "Euromed Police IV",
        "title_en": "Euromed Police IV",
        "countries": ["DZA", "EGY", "ISR", "JOR", "LBN", "LBY", "MAR", "PSE", "TUN"],
        "themes": ["terrorism", "irregular_migration", "cybercrime", "arms_trafficking",
                   "drugs"],
        "cooperation_type": "institutional",
        "start": date(2016, 1, 1), "end": date(2020, 12, 31), "budget": None,
        "partners": ["EU", "CIVIPOL", "CEPOL", "Europol", "Interpol"],
        "beneficiaries": ["police", "gendarmerie"],
        "description": "Programme régional de l'UE (2016-2020) : 35 activités au profit de 859 "
                       "officiers des pays du voisinage sud.",
    },
    {
        "title_fr": "ALCORCA — Lutte contre la criminalité organisée dans la Caraïbe",
        "title_en": "ALCORCA — Fighting organised crime in the Caribbean",
        "countries": ["DOM", "HTI", "JAM", "MEX", "CUB"],
        "themes": ["organised_crime", "drugs"],
        "cooperation_type": "technical",
        "start": date(2015, 1, 1), "end": date(2018, 12, 31), "budget": 1_000_000,
        "partners": ["Ministère de l'Europe et des Affaires étrangères"],
        "beneficiaries": ["police", "gendarmerie", "customs"],
        "description": "Projet financé par la France (1 M EUR, 2015-2018) : environ 800 "
                       "agents formés à la lutte contre la criminalité organisée et les "
                       "trafics de stupéfiants.",
    },
    {
        "title_fr": "École nationale à vocation régionale de cybersécurité de Dakar",
        "title_en": "Regional cybersecurity school, Dakar",
        "countries": ["SEN", "MLI", "MRT", "GIN", "CIV", "BFA", "NER", "BEN"],
        "themes": ["cybercrime"],
        "cooperation_type": "technical",
        "start": date(2018, 11, 1), "end": date(2027, 12, 31), "budget": None,
        "partners": ["Ministère de l'Europe et des Affaires étrangères", "ANSSI"],
        "beneficiaries": ["police", "gendarmerie", "justice"],
        "description": "École régionale ouverte en novembre 2018 à Dakar : plus de 400 agents "
                       "de la région formés à la cybersécurité et à la lutte contre la "
                       "cybercriminalité en 2021.",
    },
    {
        "title_fr": "ENVR d'Awaé — Centre de perfectionnement aux techniques de maintien de "
                    "l'ordre",
        "title_en": "Awaé regional school (ENVR) — public order training centre",
        "countries": ["CMR", "GAB", "TCD", "CAF", "COG"],
        "themes": ["public_order"],
        "cooperation_type": "technical",
        "start": date(2018, 1, 1), "end": date(2027, 12, 31), "budget": 450_000,
        "partners": ["Ministère de l'Europe et des Affaires étrangères"],
        "beneficiaries": ["gendarmerie", "police"],
        "description": "École nationale à vocation régionale (réseau de 16 écoles, environ "
                       "2 400 stagiaires par an en 2012) formant au maintien de l'ordre; "
                       "dates et budget illustratifs.",
    },
    {
        "title_fr": "ENVR de Dakar — formation des officiers de gendarmerie",
        "title_en": "Dakar regional school (ENVR) — gendarmerie officer training",
        "countries": ["SEN", "MLI", "GIN", "BFA", "NER", "MRT"],
        "themes": ["governance", "public_order"],
        "cooperation_type": "technical",
        "start": date(2018, 1, 1), "end": date(2027, 12, 31), "budget": 380_000,
        "partners": ["Ministère de l'Europe et des Affaires étrangères"],
        "beneficiaries": ["gendarmerie"],
        "description": "École nationale à vocation régionale formant des officiers de "
                       "gendarmerie de la sous-région; dates et budget illustratifs.",
    },
]

# Countries that must have an active drugs-themed illustrative programme (besides SEACOP and
# AIRCOP), so that filters on "drugs + active" show something in every region.
ACTIVE_DRUGS_ANCHORS = ("MLI", "SEN", "CIV", "GHA", "COL", "PER", "BRA", "DOM", "PAN", "MEX",
                        "MAR", "THA", "KHM", "ALB", "ESP", "LBN")


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _french(prep: str, phrase: str) -> str:
    """Apply a French preposition to a noun phrase with its article (à le -> au...)."""
    contractions = {
        ("à", "le "): "au ", ("à", "les "): "aux ", ("de", "le "): "du ",
        ("de", "les "): "des ",
    }
    for (p, article), merged in contractions.items():
        if prep == p and phrase.startswith(article):
            return merged + phrase[len(article):]
    if prep == "de" and phrase.startswith("l'"):
        return "de " + phrase
    return f"{prep} {phrase}"


def _bare(phrase: str) -> str:
    """The phrase without its leading article ("la lutte contre X" -> "lutte contre X")."""
    for article in ("la ", "le ", "les "):
        if phrase.startswith(article):
            return phrase[len(article):]
    if phrase.startswith("l'"):
        return phrase[2:]
    return phrase


def _elide_de(phrase: str) -> str:
    """"de" before a phrase, elided before a vowel ("d'analyse", "de lutte")."""
    return ("d'" if phrase[:1] in "aeéiouh" else "de ") + phrase


def _money(value: int | None) -> str:
    return "" if value is None else str(int(value))


def _iso(day: date) -> str:
    return day.isoformat()


def status_for(start: date, end: date, today: date = REFERENCE_DATE) -> str:
    """The status consistent with the dates relative to ``today``."""
    if end < today:
        return "completed"
    if start > today:
        return "planned"
    return "active"


def _country_names() -> dict[str, tuple[str, str]]:
    frame = load_countries()
    return {
        row.iso3: (row.name_fr, row.name_en)
        for row in frame[["iso3", "name_fr", "name_en"]].itertuples(index=False)
    }


# --------------------------------------------------------------------------------------------
# Builders: each returns a header and rows (lists of strings)
# --------------------------------------------------------------------------------------------

THEMES_HEADER = ["theme_id", "label_fr", "label_en", "color"]
POSTS_HEADER = ["post_id", "city", "city_en", "city_fr_of", "country_iso3", "lat", "lon",
                "opened", "staff_police", "staff_gendarmerie", "staff_civil_security",
                "head_title", "head_title_en"]
#: English forms of the heads' titles.
HEAD_TITLE_EN = {
    ASI: "Internal Security Attaché",
    ASI_REGIONAL: "Regional Internal Security Attaché",
}
#: English names of the post cities whose French name differs (``city_en`` is blank otherwise).
CITY_EN = {
    "Lisbonne": "Lisbon", "Athènes": "Athens", "Bruxelles": "Brussels", "Londres": "London",
    "Vienne": "Vienna", "Varsovie": "Warsaw", "Bucarest": "Bucharest", "Moscou": "Moscow",
    "Addis-Abeba": "Addis Ababa", "Port-Louis": "Port Louis", "Alger": "Algiers",
    "Le Caire": "Cairo", "Beyrouth": "Beirut", "Bagdad": "Baghdad", "Riyad": "Riyadh",
    "Abou Dhabi": "Abu Dhabi", "Tel-Aviv": "Tel Aviv", "Tbilissi": "Tbilisi",
    "Pékin": "Beijing", "Hanoï": "Hanoi", "Singapour": "Singapore", "Mexico": "Mexico City",
    "Panama": "Panama City", "Bogota": "Bogotá", "Brasilia": "Brasília",
    "Saint-Domingue": "Santo Domingo", "La Havane": "Havana",
}
#: French forms of "of <city>" that the elision rule cannot derive from the name (its article);
#: ``city_fr_of`` is blank otherwise ("d'Abidjan", "de Dakar" are derived).
CITY_FR_OF = {"Le Caire": "du Caire", "La Havane": "de La Havane"}
REGIONS_HEADER = ["region_id", "label_fr", "label_en", "countries"]
#: The groupings used in briefings, after the continents (a country may be in several).
BRIEFING_REGIONS = [
    # The G5 Sahel states.
    ("sahel", "Sahel", "Sahel", ["MRT", "MLI", "BFA", "NER", "TCD"]),
    # The ECOWAS states and Mauritania.
    ("west_africa", "Afrique de l'Ouest", "West Africa",
     ["BEN", "BFA", "CPV", "CIV", "GMB", "GHA", "GIN", "GNB", "LBR", "MLI", "MRT", "NER", "NGA",
      "SEN", "SLE", "TGO"]),
    ("maghreb_middle_east", "Maghreb et Moyen-Orient", "Maghreb and Middle East",
     ["MAR", "DZA", "TUN", "LBY", "MRT", "EGY", "ISR", "PSE", "LBN", "SYR", "JOR", "IRQ", "SAU",
      "KWT", "BHR", "QAT", "ARE", "OMN", "YEM", "IRN"]),
    ("western_balkans", "Balkans occidentaux", "Western Balkans",
     ["ALB", "BIH", "KOS", "MKD", "MNE", "SRB"]),
    # The sovereign states of the Caribbean.
    ("caribbean", "Caraïbes", "Caribbean",
     ["ATG", "BHS", "BRB", "CUB", "DMA", "DOM", "GRD", "HTI", "JAM", "KNA", "LCA", "TTO", "VCT"]),
]
COVERAGE_HEADER = ["post_id", "country_iso3", "role"]
PROGRAMMES_HEADER = ["programme_id", "title_fr", "title_en", "countries", "lead_post_id",
                     "themes", "cooperation_type", "status", "start_date", "end_date",
                     "budget_eur", "partners", "beneficiaries", "description"]


def build_themes() -> list[list[str]]:
    return [[tid, fr, en, color.lower()] for tid, fr, en, color in THEMES]


def build_posts() -> list[list[str]]:
    rows = []
    for pid, city, iso3, lat, lon, opened, pol, gend, civ, title, _ in POSTS:
        year = "" if pid in UNKNOWN_OPENING else str(opened)
        rows.append([pid, city, CITY_EN.get(city, ""), CITY_FR_OF.get(city, ""), iso3,
                     f"{lat:.4f}", f"{lon:.4f}", year, str(pol), str(gend), str(civ), title,
                     HEAD_TITLE_EN.get(title, "")])
    return rows


def build_coverage() -> list[list[str]]:
    rows = []
    for pid, _city, iso3, *_rest, regional in POSTS:
        rows.append([pid, iso3, "resident"])
        rows.extend([pid, other, "regional"] for other in regional)
    return rows


def covering_post() -> dict[str, str]:
    """country_iso3 -> the post covering it."""
    return {iso3: pid for pid, iso3, _role in build_coverage()}


def _group_of() -> dict[str, str]:
    return {iso3: group for group, members in GROUPS.items() for iso3 in members}


class _ProgrammeMaker:
    def __init__(self, rng: random.Random, names: dict[str, tuple[str, str]]):
        self.rng = rng
        self.names = names
        self.post_of = covering_post()
        self.group_of = _group_of()
        self.forms = {form[0]: form for form in FORMS}

    # -- sampling ------------------------------------------------------------------------------
    def pick_themes(self, iso3: str, first: str | None = None) -> list[str]:
        weights = THEME_WEIGHTS[self.group_of[iso3]]
        ids = list(weights)
        count = self.rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
        chosen = [first] if first else []
        while len(chosen) < count:
            theme = self.rng.choices(ids, weights=[weights[t] for t in ids])[0]
            if theme not in chosen:
                chosen.append(theme)
        return chosen

    def pick_form(self, iso3: str, status: str) -> tuple:
        group = self.group_of[iso3]
        keys, weights = [], []
        for form in FORMS:
            key, weight = form[0], form[7]
            if key == "envr" and group not in ENVR_GROUPS:
                continue
            if iso3 in PEER_COUNTRIES and key in ASSISTANCE_FORMS:
                continue
            if status == "active":
                weight = weight * 3 if key in LONG_FORMS else max(1, weight // 3)
            if status == "planned" and key == "project":
                weight = 1
            keys.append(key)
            weights.append(weight)
        return self.forms[self.rng.choices(keys, weights=weights)[0]]

    def pick_dates(self, status: str, min_days: int, max_days: int) -> tuple[date, date]:
        rng = self.rng
        days = rng.randint(min_days, max_days)
        if status == "completed":
            latest_start = REFERENCE_DATE - timedelta(days=days + 1)
            span = (latest_start - FIRST_DAY).days
            start = FIRST_DAY + timedelta(days=rng.randint(0, span))
            return start, start + timedelta(days=days)
        if status == "active":
            days = max(days, 2)
            start = REFERENCE_DATE - timedelta(days=rng.randint(0, days - 1))
            start = max(start, FIRST_DAY)
            end = min(start + timedelta(days=days), LAST_DAY)
            return start, end
        first = REFERENCE_DATE + timedelta(days=7)
        span = (LAST_DAY - timedelta(days=min(days, 120)) - first).days
        start = first + timedelta(days=rng.randint(0, max(span, 0)))
        return start, min(start + timedelta(days=days), LAST_DAY)

    def budget(self, low: int, high: int) -> int | None:
        if self.rng.random() < 0.12:
            return None
        value = self.rng.uniform(low, high) if self.rng.random() < 0.6 else self.rng.uniform(
            low, low + (high - low) * 0.3)
        return int(round(value / 1000.0)) * 1000

    def partners(self, iso3: str, themes: list[str], beneficiaries: list[str]) -> list[str]:
        pool = REGIONAL_PARTNERS[self.group_of[iso3]]
        chosen = self.rng.sample(pool, self.rng.choices([0, 1, 2], weights=[15, 55, 30])[0])
        if self.rng.random() < 0.55:
            beneficiary = self.rng.choice(beneficiaries)
            named = HOST_AGENCIES.get(iso3, {})
            agency = named.get(themes[0]) or named.get(beneficiary)
            if agency is None:
                generic = HOST_AGENCY_BY_BENEFICIARY[beneficiary]
                agency = f"{generic} ({self.names[iso3][0]})"
            chosen.append(agency)
        return chosen

    def beneficiaries(self, iso3: str, themes: list[str]) -> list[str]:
        pool = BENEFICIARIES_BY_THEME[themes[0]]
        count = min(len(pool), self.rng.choices([1, 2, 3], weights=[50, 40, 10])[0])
        chosen = pool[:count]
        if iso3 not in GENDARMERIE_COUNTRIES:
            chosen = ["police" if b == "gendarmerie" else b for b in chosen]
        order = ["police", "gendarmerie", "customs", "civil_security", "justice"]
        return [b for b in order if b in chosen]

    # -- one programme -------------------------------------------------------------------------
    def make(self, countries: list[str], status: str, first_theme: str | None = None) -> dict:
        rng = self.rng
        iso3 = countries[0]
        themes = self.pick_themes(iso3, first_theme)
        key, tfr, ten, ctype, dmin, dmax, (blow, bhigh), _w = self.pick_form(iso3, status)
        if len(countries) > 1 and key in ("audit", "equipment", "visit"):
            key, tfr, ten, ctype, dmin, dmax, (blow, bhigh), _w = self.forms["seminar"]
        start, end = self.pick_dates(status, dmin, dmax)
        fr_phrase, en_phrase = THEME_PHRASES[themes[0]]
        if len(countries) > 1:
            country_fr = "coopération régionale (" + ", ".join(
                self.names[c][0] for c in countries) + ")"
            country_en = "regional (" + ", ".join(self.names[c][1] for c in countries) + ")"
        else:
            country_fr, country_en = self.names[iso3]
        fields = {
            "a": _french("à", fr_phrase), "sur": fr_phrase, "fr": fr_phrase,
            "de_bare": _elide_de(_bare(fr_phrase)), "pour": fr_phrase,
            "en": en_phrase, "country_fr": country_fr, "country_en": country_en,
        }
        title_fr = tfr.format(**fields)
        title_en = ten.format(**fields)
        title_fr = title_fr[0].upper() + title_fr[1:]
        beneficiaries = self.beneficiaries(iso3, themes)
        participants = rng.randrange(8, 41, 2)
        description = _describe(key, participants, beneficiaries, self.names[iso3][0])
        if len(countries) > 1:
            description = description.rstrip(".") + ", ouvert aux pays de la zone de " \
                "compétence du service."
        return {
            "title_fr": title_fr, "title_en": title_en, "countries": countries,
            "lead_post_id": self.post_of[iso3], "themes": themes, "cooperation_type": ctype,
            "status": status_for(start, end), "start": start, "end": end,
            "budget": self.budget(blow, bhigh),
            "partners": self.partners(iso3, themes, beneficiaries),
            "beneficiaries": beneficiaries, "description": description,
        }


BENEFICIARY_FR = {"police": "policiers", "gendarmerie": "gendarmes", "customs": "douaniers",
                  "civil_security": "sapeurs-pompiers", "justice": "magistrats"}

DESCRIPTIONS = {
    "training": "Session de formation au profit de {n} {who} ({country}), animée par des "
                "formateurs de la police et de la gendarmerie nationales.",
    "seminar": "Séminaire réunissant {n} cadres {who} ({country}) et des experts français "
               "autour des bonnes pratiques.",
    "expert": "Mission d'experts français pour évaluer les besoins et conseiller les services "
              "partenaires ({country}).",
    "audit": "Audit des structures et des procédures des services partenaires ({country}), "
             "suivi de recommandations.",
    "visit": "Visite d'étude en France d'une délégation de {n} {who} ({country}) auprès de "
             "services spécialisés.",
    "equipment": "Fourniture de matériel spécialisé et formation à son emploi pour les "
                 "services partenaires ({country}).",
    "envr": "Stage de {n} {who} ({country}) dans une école nationale à vocation régionale.",
    "operational": "Appui opérationnel du service de sécurité intérieure aux unités "
                   "spécialisées ({country}) : conseil, mentorat et échanges de renseignement.",
    "jit": "Échanges d'information et actions coordonnées entre services français et "
           "partenaires ({country}) sur des affaires en cours.",
    "project": "Projet pluriannuel de renforcement institutionnel des services de sécurité "
               "intérieure ({country}).",
    "partnership": "Partenariat associant des industriels français de la sécurité et les "
                   "services partenaires ({country}) autour d'une solution technique.",
}


def _describe(key: str, n: int, beneficiaries: list[str], country: str) -> str:
    who = " et ".join(BENEFICIARY_FR[b] for b in beneficiaries) or "agents"
    return DESCRIPTIONS[key].format(n=n, who=who, country=country)


def build_programmes(names: dict[str, tuple[str, str]] | None = None) -> list[list[str]]:
    names = names if names is not None else _country_names()
    rng = random.Random(SEED)
    maker = _ProgrammeMaker(rng, names)
    post_of = maker.post_of
    programmes: list[dict] = []

    for named in NAMED_PROGRAMMES:
        entry = dict(named)
        entry["lead_post_id"] = post_of[named["countries"][0]]
        entry["status"] = status_for(named["start"], named["end"])
        programmes.append(entry)

    statuses = ["completed", "active", "planned"]
    status_weights = [46, 38, 16]
    staff = {p[0]: p[6] + p[7] + p[8] for p in POSTS}

    # Anchors: one active drugs programme in each of these countries.
    for iso3 in ACTIVE_DRUGS_ANCHORS:
        programmes.append(maker.make([iso3], "active", first_theme="drugs"))

    # Country programmes, country by country in the coverage order.
    for pid, iso3, role in build_coverage():
        if role == "resident":
            count = 1 + staff[pid] // 2 + rng.randint(0, 2)
        else:
            count = rng.choices([0, 1, 2, 3], weights=[10, 40, 35, 15])[0]
        for _ in range(count):
            status = rng.choices(statuses, weights=status_weights)[0]
            programmes.append(maker.make([iso3], status))

    # Regional programmes: a post with its regional countries (2 to 4 countries).
    for _pid, _city, iso3, *_rest, regional in POSTS:
        if not regional:
            continue
        for _ in range(rng.choice([1, 1, 2])):
            others = rng.sample(regional, min(len(regional), rng.randint(1, 3)))
            others = [c for c in regional if c in others]  # keep the coverage order
            status = rng.choices(statuses, weights=status_weights)[0]
            programmes.append(maker.make([iso3, *others], status))

    rows = []
    for number, prog in enumerate(programmes, start=1):
        rows.append([
            f"PRG-{number:04d}", prog["title_fr"], prog["title_en"], "|".join(prog["countries"]),
            prog["lead_post_id"], "|".join(prog["themes"]), prog["cooperation_type"],
            prog["status"], _iso(prog["start"]), _iso(prog["end"]), _money(prog["budget"]),
            "|".join(prog["partners"]), "|".join(prog["beneficiaries"]), prog["description"],
        ])
    return rows


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


def build_regions() -> list[list[str]]:
    """The continents (from the geometries) then the briefing groupings."""
    continents = continent_sets(load_countries())
    rows = [[region.region_id, region.label_fr, region.label_en,
             "|".join(sorted(region.countries))] for region in continents.regions]
    rows += [[key, fr, en, "|".join(codes)] for key, fr, en, codes in BRIEFING_REGIONS]
    return rows


def write(out_dir: Path | str = DEMO_DIR) -> dict[str, Path]:
    """Write the demo CSV files into ``out_dir`` (created if needed); return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "themes": (THEMES_HEADER, build_themes()),
        "posts": (POSTS_HEADER, build_posts()),
        "coverage": (COVERAGE_HEADER, build_coverage()),
        "programmes": (PROGRAMMES_HEADER, build_programmes()),
        "meta": (["key", "value"], [["data_date", REFERENCE_DATE.isoformat()]]),
        "regions": (REGIONS_HEADER, build_regions()),
    }
    paths = {}
    for name, (header, rows) in tables.items():
        path = out / f"{name}.csv"
        _write_csv(path, header, rows)
        paths[name] = path
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the demonstration data set (CSV).")
    parser.add_argument("out_dir", nargs="?", default=str(DEMO_DIR),
                        help="output folder (default: geodata/demo)")
    args = parser.parse_args(argv)
    paths = write(args.out_dir)
    for name, path in paths.items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
