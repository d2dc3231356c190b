-- The ids of the district's rows that were set aside, per load (workbook) and sheet: a record whose
-- row was set aside is not deleted (CATALOGUE §1.2, §3). The id is the first cell of the row's raw
-- text (a JSON array of the row's cells; the header row is found by that first column). Nothing
-- else of the raw text (which may hold personal data) is selected.
with quarantine as (
    select _load_id, table_name, sheet, _row_number, reason, raw_text
    from {{ source('raw_lk_leipzig', 'quarantine') }}
)

select
    _load_id,
    table_name,
    _row_number,
    reason,
    case when json_valid(raw_text) and json_type(try_cast(raw_text as json)) = 'ARRAY'
         then nullif(trim(json_extract_string(try_cast(raw_text as json), '$[0]')), '') end as record_id
from quarantine
