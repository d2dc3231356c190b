"""What a load did: per file, for the DAG, the logs and the tests (never row content)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Ledger statuses (meta.load_ledger.status)
LOADED = "loaded"
DUPLICATE = "duplicate"
REJECTED_SCHEMA = "rejected_schema"
REJECTED_UNREADABLE = "rejected_unreadable"
# Report-only statuses (no new ledger row)
ALREADY_LOADED = "already_loaded"
UNRECOGNISED = "unrecognised"
REJECTED = (REJECTED_SCHEMA, REJECTED_UNREADABLE)


class SchemaDriftError(RuntimeError):
    """Files of a partner were not loaded because their columns changed (or they could not be
    read at all). The message names every file and its missing columns."""

    def __init__(self, partner: str, files: list[FileReport]):
        self.partner = partner
        self.files = files
        lines = [f"{partner}: {len(files)} file(s) not loaded:"]
        lines += [f"  {f.file_name}: {f.message}" for f in files]
        super().__init__("\n".join(lines))


@dataclass
class FileReport:
    file_name: str
    status: str
    kind: str | None = None
    load_id: str | None = None
    period_key: str | None = None
    correction: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    tables: dict[str, int] = field(default_factory=dict)  # raw table -> rows loaded
    missing_columns: list[str] = field(default_factory=list)
    added_columns: list[str] = field(default_factory=list)
    resent_of: str | None = None
    message: str = ""

    @property
    def rejected(self) -> bool:
        return self.status in REJECTED


@dataclass
class IngestReport:
    partner: str
    files: list[FileReport] = field(default_factory=list)
    files_read: int = 0  # files whose bytes were read (new, changed, or not checked before)
    files_unchanged: int = 0  # files known unchanged since their last check: not read again

    @property
    def loaded(self) -> list[FileReport]:
        return [f for f in self.files if f.status == LOADED]

    @property
    def rejected(self) -> list[FileReport]:
        return [f for f in self.files if f.rejected]

    @property
    def new_rows(self) -> dict[str, int]:
        """``raw_<partner>.<table>`` -> rows that landed in this run (only tables with rows)."""
        out: dict[str, int] = {}
        for f in self.loaded:
            for table, n in f.tables.items():
                if n:
                    key = f"raw_{self.partner}.{table}"
                    out[key] = out.get(key, 0) + n
        return out

    def raise_for_rejections(self) -> None:
        if self.rejected:
            raise SchemaDriftError(self.partner, self.rejected)

    def summary(self) -> dict:
        return {
            "partner": self.partner,
            "files": [
                {k: v for k, v in f.__dict__.items()} for f in self.files
            ],
            "new_rows": self.new_rows,
        }
