{{ staging_incremental_config() }}
-- The ids of the district's rows that were set aside, per load (workbook) and sheet: a record whose
-- row was set aside is not deleted (CATALOGUE §1.2, §3). The id is the first cell of the row's raw
-- text (a JSON array of the row's cells; the header row is found by that first column). Nothing
-- else of the raw text (which may hold personal data) is selected. A table, appended by load as
-- the other staging models: the ids are read from the JSON once, not by every history that needs
-- them in every build (at --scale 1000, 3 of the district's enquiry history's monthly seconds).
with quarantine as (
    select _r._load_id, _r.table_name, _r.sheet, _r._row_number, _r.reason, _r.raw_text
    from {{ source('raw_lk_leipzig', 'quarantine') }} as _r
    {{- loads_not_staged(source('raw_lk_leipzig', 'quarantine')) | indent(4) }}
)

select
    _load_id,
    table_name,
    _row_number,
    reason,
    case when json_valid(raw_text) and json_type(try_cast(raw_text as json)) = 'ARRAY'
         then nullif(trim(json_extract_string(try_cast(raw_text as json), '$[0]')), '') end as record_id
from quarantine
