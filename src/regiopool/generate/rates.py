"""The irregularities the partner documents list, each injected at a configurable rate.

A rate is a probability per unit (the unit is given with each rate). ``0`` disables it.
"""

from __future__ import annotations

# name -> (default rate, unit, what it injects)
RATE_DOCS: dict[str, tuple[float, str, str]] = {
    "correction": (0.03, "monthly file", "a `_k1` file replacing the month (different content)"),
    "resent_copy": (0.02, "monthly file",
                    ("the same bytes delivered again: an identical `_k1`, or (city settlements) an "
                    "old month's file re-sent as this month's (the real one follows as `_k1`)")),
    "late_delivery": (0.03, "monthly file", "delivered after the 5th working day (file mtime)"),
    "truncated_last_line": (0.02, "CSV / JSONL file", "the last line is cut off"),
    "added_column": (0.03, "city CSV file", "a new column after a 'system update'"),
    "dropped_column": (0.01, "city CSV file", "an optional contact column missing"),
    "renamed_column": (0.0, "city CSV file",
                       "a needed column renamed (stops that file's load: off by default)"),
    "duplicate_id_in_file": (0.005, "row", "the same record id twice in one file/sheet"),
    "bad_date": (0.005, "record", "received date after the end of its period or before 2000"),
    "missing_required": (0.005, "row", "an identifying/dating/status value empty"),
    "empty_field": (0.03, "record", "a descriptive field (country, WZ, jobs, ...) left empty"),
    "unmapped_sector": (0.02, "record", "WZ code not 2-5 digits / Branche not in the reference"),
    "unmapped_country": (0.01, "record", "a country name not in the reference"),
    "unparsable_number": (0.01, "city row", "a number field like `ca. 120`"),
    "number_as_text": (0.03, "district number cell", "a number typed as text with decimal comma"),
    "date_as_text": (0.03, "district date cell", "a date typed as text dd.mm.yyyy"),
    "padded_text": (0.03, "district text cell", "leading/trailing/repeated spaces, odd case"),
    "former_municipality_name": (0.03, "district municipality name",
                                 "name of a municipality that has merged into another"),
    "unmapped_municipality": (0.005, "district municipality name",
                              "a name that maps to no municipality (a typo)"),
    "settlement_without_enquiry": (0.03, "city settlement",
                                   "the settlement is delivered, its enquiry never"),
    "ascii_spelling": (0.03, "district name/code value", "ae/oe/ue/ss instead of umlauts"),
    "district_deleted_record": (0.02, "district enquiry", "record deleted from later snapshots"),
    "region_win_reported_as_loss": (0.1, "won project handled by several agencies",
                                    "an agency that did not get the settlement reports a loss"),
    "reopened_project": (0.03, "decided project", "a won/lost project reopened later"),
    "irl_duplicate_event": (0.02, "IRL event", "delivered again (same or later file)"),
    "irl_late_event": (0.02, "IRL event", "delivered 1-60 days late (5 % of them later still)"),
    "irl_out_of_order": (0.03, "IRL event followed within 7 days by the project's next",
                         "sent after that next event"),
    "invalid_json_line": (0.005, "IRL event", "a broken copy of the line before the good one"),
    "unknown_event_type": (0.005, "IRL event", "an extra event of an undocumented type"),
    "site_without_geometry": (0.03, "city site", "geometry `null` (not digitised)"),
    "site_withdrawn": (0.03, "site", "withdrawn from marketing (missing from later snapshots)"),
}

DEFAULT_RATES: dict[str, float] = {name: doc[0] for name, doc in RATE_DOCS.items()}


def resolve_rates(overrides: dict[str, float] | None) -> dict[str, float]:
    rates = dict(DEFAULT_RATES)
    for name, value in (overrides or {}).items():
        if name not in rates:
            raise ValueError(f"unknown rate {name!r}; known: {', '.join(sorted(rates))}")
        value = float(value)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"rate {name!r} must be between 0 and 1, got {value}")
        rates[name] = value
    return rates
