-- Every day of the calendar the ingestion wrote from regiopool.ops.deadlines, with whether it is
-- a working day in Saxony (Monday to Friday without Saxon public holidays).
with calendar as (
    select * from {{ source('meta', 'saxon_calendar') }}
)

select
    cast(day as date) as day,
    is_working_day,
    holiday
from calendar
