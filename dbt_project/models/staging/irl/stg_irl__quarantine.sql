-- The rows of this partner that were set aside, by file, line (or sheet and row) and reason.
-- The row's text (raw_text, possibly personal data) stays in the raw layer: it is not selected.
with quarantine as (
    select * from {{ source('raw_irl', 'quarantine') }}
)

select
    'irl' as partner,
    _load_id,
    _source_file,
    table_name,
    sheet,
    _row_number,
    reason,
    _loaded_at
from quarantine
