"""Pools of made-up names and texts (no reference data here: those are read from the CSVs).

Every string is representable in Windows-1252, since the city's legacy files use it.
"""

from __future__ import annotations

import random

SURNAMES = [
    "Müller", "Schäfer", "Krüger", "Böhm", "Weißbach", "Hoffmann", "Köhler", "Schröder",
    "Fröhlich", "Günther", "Jäger", "Möller", "Rößler", "Seifert", "Zimmermann", "Vogel",
    "Lange", "Richter", "Wagner", "Becker", "Schulze", "Fuchs", "Kühn", "Große", "Nußbaum",
    "Hänel", "Lößner", "Körner", "Märker", "Dietze", "Pöschel", "Thümmler", "Böttcher",
]
FANTASY = [
    "Nordwind", "Elbtal", "Saxonia", "Mitteldeutsche", "Pleißeland", "Muldental", "Auenwald",
    "Sachsen", "Silberstreif", "Leuchtturm", "Kranich", "Polaris", "Vektor", "Aurora",
    "Greifen", "Weiße Elster", "Parthe", "Neuseenland", "Lindenau", "Zwenkauer", "Brückenkopf",
]
QUALIFIERS = ["", "", "", "", "Ost", "Mitteldeutschland", "Sachsen", "Leipzig", "Nord",
              "Süd", "Europe", "Systems", "Service", "Technik"]
TRADES = {
    "AUTO": ["Präzisionsteile", "Fahrzeugtechnik", "Karosseriebau", "Antriebssysteme",
             "Zulieferteile", "Kabelsysteme"],
    "ENERGY": ["Solartechnik", "Wasserstofftechnik", "Energiesysteme", "Recycling",
               "Umwelttechnik", "Batteriesysteme"],
    "HEALTH": ["Medizintechnik", "Pharma", "Biotech", "Labordiagnostik", "Zellkultur"],
    "LOGISTICS": ["Logistik", "Spedition", "Lagerhaus", "Kontraktlogistik", "Transporte"],
    "MEDIA_IT": ["Software", "Datensysteme", "Medienproduktion", "IT-Services",
                 "Rechenzentren", "Games"],
}
TRADES_OTHER = ["Metallbau", "Feinkost", "Maschinenbau", "Verpackungen", "Kunststofftechnik",
                "Bauelemente", "Holzbau", "Großhandel"]
TRADES_EN = {
    "AUTO": ["Automotive", "Components", "Drive Systems"],
    "ENERGY": ["Energy", "Batteries", "Solar", "Hydrogen"],
    "HEALTH": ["Biotech", "Pharma", "Medical"],
    "LOGISTICS": ["Logistics", "Freight", "Fulfilment"],
    "MEDIA_IT": ["Data Centers", "Software", "Digital"],
}
TRADES_EN_OTHER = ["Foods", "Machinery", "Packaging", "Materials"]
FOREIGN_WORDS = ["Nordic", "Atlas", "Pacific", "Crescent", "Blue Harbor", "Vistula", "Orion",
                 "Meridian", "Sunrise", "Keystone", "Danube", "Alpine", "Harbin", "Shenzhen Star"]
# legal form of a foreign company by ISO country (default: Ltd)
FOREIGN_FORMS = {"US": ["Inc.", "LLC"], "GB": ["Ltd", "Limited", "plc"], "PL": ["Sp. z o.o."],
                 "CZ": ["s.r.o."], "NL": ["B.V.", "N.V."], "FR": ["S.A."], "IT": ["S.p.A."],
                 "AT": ["GmbH"], "CH": ["AG"], "CN": ["Co., Ltd."], "JP": ["Co., Ltd."],
                 "KR": ["Co., Ltd."], "ES": ["S.A."], "BE": ["N.V."], "DK": ["A/S"],
                 "NO": ["AS"], "SE": ["AB"]}
GERMAN_FORMS = [("GmbH", 60), ("GmbH & Co. KG", 15), ("AG", 8), ("SE", 2), ("KG", 5),
                ("UG (haftungsbeschränkt)", 4), ("e.K.", 3), ("mbH", 3)]
# variants of a German legal form that the regional name normalisation treats as equal
FORM_VARIANTS = {
    "GmbH": ["GmbH", "GmbH & Co. KG", "GmbH & Co KG", "mbH", "GMBH"],
    "GmbH & Co. KG": ["GmbH & Co. KG", "GmbH", "GmbH & Co.KG", "KG"],
    "AG": ["AG", "AG & Co. KG", "SE"],
    "SE": ["SE", "AG"],
    "KG": ["KG", "GmbH & Co. KG"],
    "UG (haftungsbeschränkt)": ["UG (haftungsbeschränkt)", "UG", "UG (haftungsbeschraenkt)"],
    "e.K.": ["e.K.", "e. K.", "eK"],
    "mbH": ["mbH", "GmbH"],
}
COURTS = [("Leipzig", 55), ("Chemnitz", 8), ("Dresden", 10), ("Charlottenburg", 7),
          ("München", 5), ("Hamburg", 5), ("Frankfurt am Main", 4), ("Stuttgart", 3),
          ("Düsseldorf", 3)]
CODE_NAMES = ["Falke", "Adler", "Kranich", "Luchs", "Biber", "Eule", "Fuchs", "Reiher",
              "Otter", "Dachs", "Milan", "Sperber", "Bussard", "Wiesel", "Hermelin", "Lerche",
              "Polarstern", "Nordlicht", "Merkur", "Saturn", "Orion", "Atlas", "Delta",
              "Elster", "Pleiße", "Mulde", "Parthe", "Zwerg", "Riese", "Kompass"]
FIRST_NAMES = ["Anna", "Jörg", "Katrin", "Uwe", "Sören", "Jürgen", "Bärbel", "Heiko", "Maren",
               "Sven", "Ines", "Frank", "Claudia", "Björn", "Doreen", "René", "Sandra", "Jens",
               "Grit", "Mario", "Li", "Wei", "John", "Emily", "Pawel", "Agnieszka"]
CITY_DISTRICTS = [
    "Zentrum-Nord", "Plagwitz", "Lindenau", "Gohlis-Süd", "Mockau-Nord", "Paunsdorf",
    "Engelsdorf", "Wiederitzsch", "Seehausen", "Lindenthal", "Böhlitz-Ehrenberg",
    "Lützschena-Stahmeln", "Holzhausen", "Liebertwolkwitz", "Probstheida", "Stötteritz",
    "Schönefeld-Abtnaundorf", "Heiterblick", "Sellerhausen-Stünz", "Plaußig-Portitz",
    "Hartmannsdorf-Knautnaundorf", "Knautkleeberg-Knauthain", "Grünau-Ost", "Miltitz",
    "Burghausen-Rückmarsdorf", "Baalsdorf", "Mölkau", "Thekla", "Eutritzsch", "Möckern",
    "Wahren", "Leutzsch",
]
SITE_WORDS = ["Gewerbegebiet", "Industriegebiet", "Gewerbepark", "Logistikpark", "GI",
              "Technologiepark", "Baufeld"]
SITE_NAMES = ["Nord", "Ost", "Süd", "West", "Am Flughafen", "Radefeld", "An der A 14",
              "Seehausen II", "Schkeuditzer Kreuz", "Mühlenweg", "Alte Ziegelei", "Am Bahnhof",
              "Lindenallee", "Tagebaurand", "Heidegrund", "Weinberg", "Am Wasserturm",
              "Stahlwerk", "Zuckerfabrik", "Elsterblick"]
COMPETITORS = ["Halle (Saale)", "Magdeburg", "Dresden", "Erfurt", "Polen", "Tschechien",
               "Bayern", "Brandenburg", "Chemnitz", None, None, None]
PLANNING = {
    "city": ["B-Plan rechtskräftig", "B-Plan in Aufstellung", "§34 BauGB", "FNP"],
    "district": ["B-Plan rechtskräftig", "B-Plan rk.", "B-Plan in Aufstellung",
                 "in Aufstellung", "§ 34 BauGB", "§34", "FNP", "Flächennutzungsplan"],
}

# free text: contains ; "" line breaks and characters that only Windows-1252 has (€ „ “ –)
REMARKS = [
    "Erstgespräch am {d}; Investor wünscht „schnelle Genehmigung“ – Budget ca. {m} Mio. €",
    "Kontakt über IHK; Rückruf erbeten\nZweiter Termin in KW {w} geplant",
    'Kunde: "kein Interesse an Pacht"; nur Kauf',
    "Anfrage per Mail – Unterlagen nachgereicht",
    "Standortanforderungen: Gleisanschluss; 24/7-Betrieb\nLärmschutz klären – „sensibel“",
    "Fördermittel (GRW) angefragt; Förderquote offen – ca. {m} Mio. € Eigenanteil",
    "Besichtigung mit Bürgermeister – sehr positiv",
    "Ansprechpartner wechselt; neue Kontaktdaten folgen",
    'Projekt "vertraulich" behandeln; NDA unterschrieben',
    "",
    "",
    "",
]


def person(r: random.Random) -> tuple[str, str, str]:
    """A made-up contact person: name, e-mail (example domains only), phone."""
    first = r.choice(FIRST_NAMES)
    last = r.choice(SURNAMES)
    from .common import ascii_spelling  # local: avoid a cycle at import time

    local = f"{ascii_spelling(first)[0]}.{ascii_spelling(last)}".lower().replace(" ", "")
    email = f"{local}@{r.choice(('example.org', 'example.com', 'example.net'))}"
    if r.random() < 0.5:
        phone = f"+49 341 {r.randint(100000, 9999999)}"
    elif r.random() < 0.5:
        phone = f"0341 {r.randint(1000000, 9999999)}"
    else:
        phone = f"+49 1{r.choice('567')}{r.randint(0, 9)} {r.randint(1000000, 99999999)}"
    return f"{first} {last}", email, phone


def remark(r: random.Random) -> str:
    return r.choice(REMARKS).format(d=f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.",
                                    m=r.randint(2, 40), w=r.randint(1, 52))


def variant(base: str, k: int) -> str:
    """The k-th variant of a company's base name: variant 0 is the name itself, the others add
    one or two made-up brand words (660 variants, then they repeat)."""
    if k == 0:
        return base
    k -= 1
    code = CODE_NAMES[k % len(CODE_NAMES)]
    if k < len(CODE_NAMES):
        return f"{base} {code}"
    return f"{base} {FANTASY[(k // len(CODE_NAMES) - 1) % len(FANTASY)]}-{code}"
