-- The load ledger (one row per distinct file or API page seen), with `is_standing`: the loads
-- whose rows count downstream (`status = 'loaded'` and not superseded by a correction).
with ledger as (
    select * from {{ source('meta', 'load_ledger') }}
)

select
    load_id,
    partner,
    kind,
    cast(period as date) as period,
    cast(date_trunc('month', cast(period as date)) as date) as period_month,
    period_key,
    correction,
    file_name,
    delivered_at,
    loaded_at,
    status,
    superseded_by,
    resent_of,
    rows_read,
    rows_loaded,
    rows_quarantined,
    status = 'loaded' and superseded_by is null as is_standing
from ledger
