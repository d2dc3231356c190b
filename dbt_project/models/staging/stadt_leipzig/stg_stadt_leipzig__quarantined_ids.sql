-- The ids of the city's sites whose feature was set aside, per load (snapshot): such a site is not
-- withdrawn, it keeps its state from the latest snapshot where it loaded (CATALOGUE §3). The id is
-- read from the feature's raw text (`properties.flaechen_id`); nothing else of it is selected.
with quarantine as (
    select q._load_id, q.table_name, q._row_number, q.reason, q.raw_text,
           cast(l.period as date) as _period
    from {{ source('raw_stadt_leipzig', 'quarantine') }} as q
    inner join {{ source('meta', 'load_ledger') }} as l on l.load_id = q._load_id
    where l.status = 'loaded' and l.superseded_by is null
      and q.table_name = 'sites'
)

select
    _load_id,
    _period,
    table_name,
    _row_number,
    reason,
    {{ clean_ref("json_extract_string(try_cast(raw_text as json), '$.properties.flaechen_id')") }} as record_id
from quarantine
where json_valid(raw_text)
