"""Defence in depth against contact data in the extract.

The extract reads only the marts, which hold no contact data or free text (CATALOGUE §4). The
one text that comes from elsewhere is the quality gate's findings; they name files and lines,
never row content (§6), but anything that looks like an e-mail address or a phone number is
blanked before it is printed anyway.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# +49 341 1234567, 0341/123 45 67, (0341) 1234-567, 0171 1234567: a leading + or 0, then at least
# eight digits in groups separated by spaces, slashes or dashes (not dots: dates)
PHONE = re.compile(r"(?<![\w.,])(?:\+|00|0|\(0)\d[\d ()/\-]{6,}\d(?![\w.,])")

REDACTED = "[entfernt]"


def looks_like_phone(s: str) -> bool:
    return sum(ch.isdigit() for ch in s) >= 8


def redact(text: str) -> str:
    text = EMAIL.sub(REDACTED, text)
    return PHONE.sub(lambda m: REDACTED if looks_like_phone(m.group(0)) else m.group(0), text)


def find_contact_data(text: str) -> list[str]:
    """E-mail addresses and phone-like numbers in `text` (used by the tests and the publisher)."""
    hits = EMAIL.findall(text)
    hits += [m.group(0) for m in PHONE.finditer(text) if looks_like_phone(m.group(0))]
    return hits


def redact_gate(gate: dict) -> dict:
    """The gate result with contact-like data blanked in its findings' texts."""

    def clean(finding: dict) -> dict:
        return {k: redact(v) if isinstance(v, str) else v for k, v in finding.items()}

    out = dict(gate)
    for key in ("blocking", "warnings"):
        if key in out and out[key] is not None:
            out[key] = [clean(f) for f in out[key]]
    return out
