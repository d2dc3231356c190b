-- The ids of the district's rows that were set aside, per load (workbook) and sheet: a record whose
-- row was set aside is not deleted (CATALOGUE §1.2, §3). The id is the first cell of the row's raw
-- text (a JSON array of the row's cells; the header row is found by that first column). Nothing
-- else of the raw text (which may hold personal data) is selected.
with quarantine as (
    select q._load_id, q.table_name, q.sheet, q._row_number, q.reason, q.raw_text,
           cast(l.period as date) as _period
    from {{ source('raw_lk_leipzig', 'quarantine') }} as q
    inner join {{ source('meta', 'load_ledger') }} as l on l.load_id = q._load_id
    where l.status = 'loaded' and l.superseded_by is null
)

select
    _load_id,
    _period,
    table_name,
    _row_number,
    reason,
    nullif(trim(json_extract_string(try_cast(raw_text as json), '$[0]')), '') as record_id
from quarantine
where json_valid(raw_text)
  and json_type(try_cast(raw_text as json)) = 'ARRAY'
