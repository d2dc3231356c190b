{#- IRL events that arrived more than 60 days after they happened (partners/irl.md: "an event
    usually arrives within 60 days ... a later one is still applied, and reported as late"):
    the first copy of each event (stg_irl__events) in a load that stands, its file date
    (`_period`) against the Europe/Berlin date of `occurred_at`. -#}
with

events as (
    select * from {{ ref('stg_irl__events') }}
),

loads as (
    select * from {{ ref('int_quality__loads') }}
)

select
    'irl' as partner,
    'events' as table_name,
    events._load_id as load_id,
    events._source_file as source_file,
    events._row_number as row_number,
    loads.month,
    events._period - events.occurred_on as days_late
from events
inner join loads
    on loads.load_id = events._load_id
    and loads.is_standing
where events._period - events.occurred_on > 60
