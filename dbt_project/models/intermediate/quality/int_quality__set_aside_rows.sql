{#- Every partner's set-aside rows, by location and reason only (never the row's text). The
    partners are those whose raw layer has a quarantine (meta.set_aside_rows, written by the
    ingestion from the contracts): a new partner needs no SQL here. -#}
with

set_aside as (
    select * from {{ ref('stg_quality__set_aside_rows') }}
)

select
    partner,
    load_id,
    source_file,
    table_name,
    sheet,
    row_number,
    reason
from set_aside
