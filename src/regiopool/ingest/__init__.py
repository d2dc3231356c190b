"""Ingestion: partner deliveries into the raw layer of the DuckDB warehouse.

Public API (used by the DAGs and the pipeline):

- :func:`ensure_warehouse` creates schemas ``meta`` and ``raw_<partner>`` and their tables;
- :func:`ingest_partner` loads every new file of one partner and returns an
  :class:`IngestReport`;
- :mod:`regiopool.ingest.irl_api` reads IRL's events over HTTP into the same raw table.

See ``docs/raw_layer.md`` for the tables and ``docs/partners.md`` for the formats.
"""

from regiopool.ingest.loader import ingest_partner
from regiopool.ingest.report import FileReport, IngestReport, SchemaDriftError
from regiopool.ingest.warehouse import ensure_warehouse

__all__ = ["FileReport", "IngestReport", "SchemaDriftError", "ensure_warehouse", "ingest_partner"]
