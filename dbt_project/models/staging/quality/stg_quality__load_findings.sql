-- Load findings written by ingestion (docs/raw_layer.md): values loaded as unknown, and column
-- drift. Names a row by file and line, never by its content.
with load_findings as (
    select * from {{ source('meta', 'load_findings') }}
)

select
    load_id,
    partner,
    table_name,
    source_file,
    sheet,
    row_number,
    column_name,
    rule
from load_findings
