-- The kinds of file each declared partner sends, their delivery semantics (delta, snapshot,
-- events) and the partner's deadline in working days, as the contracts declare them.
with partner_kinds as (
    select * from {{ source('meta', 'partner_kinds') }}
)

select
    partner,
    kind,
    semantics,
    cast(deadline_working_days as integer) as deadline_working_days
from partner_kinds
