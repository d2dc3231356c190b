{{ staging_incremental_config() }}
-- The ids of the city's sites whose feature was set aside, per load (snapshot): such a site is not
-- withdrawn, it keeps its state from the latest snapshot where it loaded (CATALOGUE §3). The id is
-- read from the feature's raw text (`properties.flaechen_id`); nothing else of it is selected.
-- A table, appended by load (as stg_lk_leipzig__quarantined_ids).
with quarantine as (
    select _r._load_id, _r.table_name, _r._row_number, _r.reason, _r.raw_text
    from {{ source('raw_stadt_leipzig', 'quarantine') }} as _r
    {{- loads_not_staged(source('raw_stadt_leipzig', 'quarantine')) | indent(4) }}
)

select
    _load_id,
    table_name,
    _row_number,
    reason,
    case when json_valid(raw_text)
         then {{ clean_ref("json_extract_string(try_cast(raw_text as json), '$.properties.flaechen_id')") }} end as record_id
from quarantine
where table_name = 'sites'
