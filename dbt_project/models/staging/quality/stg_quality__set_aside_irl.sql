-- Where and why rows of irl's deliveries were set aside: location and reason only. The row's
-- text (`raw_text`, possibly personal data) stays in the raw layer.
with quarantine as (
    select * from {{ source('raw_irl', 'quarantine') }}
)

select
    'irl' as partner,
    _load_id as load_id,
    _source_file as source_file,
    table_name,
    sheet,
    _row_number as row_number,
    reason
from quarantine
