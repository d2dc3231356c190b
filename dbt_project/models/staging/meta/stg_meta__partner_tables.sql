-- The raw tables of each declared partner and kind of file, with the workbook sheet that holds
-- each (partners/*.yml), so that a finding about a record can name its sheet and row.
with partner_tables as (
    select * from {{ source('meta', 'partner_tables') }}
)

select
    partner,
    kind,
    table_name,
    sheet
from partner_tables
