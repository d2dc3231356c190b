-- Where and why rows of every partner's deliveries were set aside: location and reason only.
-- meta.set_aside_rows is the ingestion's view over all raw_<partner>.quarantine tables (the
-- partners of the contracts), so a new partner needs no model here
-- (docs/decisions/quality-set-aside-rows.md). The row's text (`raw_text`, possibly personal
-- data) stays in the partner's raw layer: the view does not select it.
with set_aside as (
    select * from {{ source('meta', 'set_aside_rows') }}
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
