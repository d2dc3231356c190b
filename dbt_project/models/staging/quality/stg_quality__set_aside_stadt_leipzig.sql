-- Where and why rows of stadt_leipzig's deliveries were set aside: location and reason only. The row's
-- text (`raw_text`, possibly personal data) stays in the raw layer.
with quarantine as (
    select * from {{ source('raw_stadt_leipzig', 'quarantine') }}
)

select
    'stadt_leipzig' as partner,
    _load_id as load_id,
    _source_file as source_file,
    table_name,
    sheet,
    _row_number as row_number,
    reason
from quarantine
