"""Hand-written inboxes for the end-to-end tests: the partners' headers as they send them, and
one build of such an inbox as production does it (every contract ingested, a full dbt build)."""

from __future__ import annotations

from pathlib import Path

from regiopool.contracts import load_contracts
from regiopool.ingest import ensure_warehouse, ingest_partner
from regiopool.settings import Settings
from regiopool.transform import dbt_build

CITY_ENQUIRIES = ["Vorgangsnummer", "Eingangsdatum", "Projektname", "Unternehmen",
                  "Registernummer", "Registergericht", "Herkunftsland", "WZ2008", "Vorhabenart",
                  "Flaechenbedarf_m2", "Arbeitsplaetze_geplant", "Investition_EUR", "Status",
                  "Statusdatum", "Absagegrund", "IRL_Projektnummer", "Ansprechpartner", "E_Mail",
                  "Telefon", "Bemerkung"]
CITY_SETTLEMENTS = ["Vorgangsnummer", "Unternehmen", "Entscheidungsdatum", "Ortsteil",
                    "Flaechen_ID", "Arbeitsplaetze_neu", "Arbeitsplaetze_gesichert",
                    "Investition_EUR", "WZ2008", "Vorhabenart", "IRL_Projektnummer"]
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


def ingest_and_build(inbox: Path, home: Path) -> Settings:
    """Ingest the inbox with every partner contract into a new warehouse and build it with
    `dbt build --full-refresh`; the home's settings."""
    settings = Settings(home=home, inbox=inbox)
    contracts = load_contracts()
    ensure_warehouse(settings.warehouse, contracts)
    for contract in contracts:
        ingest_partner(settings.warehouse, inbox, contract)
    dbt_build(settings, full_refresh=True)
    return settings
