-- Values loaded as unknown, and drift, per load: names a row by file and line, never its content.
with findings as (
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
from findings
