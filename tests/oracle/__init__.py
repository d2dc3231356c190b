"""An independent implementation of the KPI catalogue, computed directly from the inbox files.

Used by tests/e2e/test_kpis_match_inbox.py as a second opinion on the dbt marts.
"""
