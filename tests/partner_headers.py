"""The partners' column headers as their documentation gives them (docs/partners.md), written
out once for the tests' hand-made files and the conformance checks of the generated ones. Kept
apart from the contracts (partners/*.yml) on purpose: a test file must not follow a contract
error."""

CITY_ENQUIRIES = [
    "Vorgangsnummer", "Eingangsdatum", "Projektname", "Unternehmen", "Registernummer",
    "Registergericht", "Herkunftsland", "WZ2008", "Vorhabenart", "Flaechenbedarf_m2",
    "Arbeitsplaetze_geplant", "Investition_EUR", "Status", "Statusdatum", "Absagegrund",
    "IRL_Projektnummer", "Ansprechpartner", "E_Mail", "Telefon", "Bemerkung",
]
CITY_SETTLEMENTS = [
    "Vorgangsnummer", "Unternehmen", "Entscheidungsdatum", "Ortsteil", "Flaechen_ID",
    "Arbeitsplaetze_neu", "Arbeitsplaetze_gesichert", "Investition_EUR", "WZ2008",
    "Vorhabenart", "IRL_Projektnummer",
]
LK_SHEETS = {
    "Anfragen": ["Lfd. Nr.", "Eingang", "Firma", "HR-Nr.", "Land", "Branche", "Gemeinde(n)",
                 "Fläche (ha)", "AP geplant", "Invest (T€)", "Stand", "Datum Stand",
                 "Grund (bei Verlust)", "IRL-Nr.", "Kontakt", "Notiz"],
    "Ansiedlungen": ["Lfd. Nr. Anfrage", "Firma", "Gemeinde", "Datum Entscheidung", "AP neu",
                     "AP gesichert", "Invest (T€)", "Branche", "IRL-Nr.", "Fläche-ID"],
    "Flaechen": ["Fläche-ID", "Bezeichnung", "Gemeinde", "Größe (ha)", "davon frei (ha)", "Art",
                 "Planungsstand", "Eigentümer", "Preis (€/m²)", "Status", "BAB (km)", "Gleis",
                 "Rechtswert", "Hochwert"],
}
