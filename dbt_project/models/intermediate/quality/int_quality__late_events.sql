{#- IRL events that arrived more than 60 days after they happened (partners/irl.md: "an event
    usually arrives within 60 days ... a later one is still applied, and reported as late"):
    the first copy of each event (stg_irl__events) in a load that stands, its file date
    (`_period`) against the Europe/Berlin date of `occurred_at`. The check applies to the loads
    of the kinds the contracts declare as an event stream (`semantics: events`), and the
    partner is the load's. IRL is the only event-stream partner, and its events are read from
    its staging model; another one would add its events here. -#}
with

events as (
    select * from {{ ref('stg_irl__events') }}
),

event_kinds as (
    select partner, kind
    from {{ ref('stg_meta__partner_kinds') }}
    where semantics = 'events'
),

loads as (
    select loads.*
    from {{ ref('int_quality__loads') }} as loads
    inner join event_kinds
        on event_kinds.partner = loads.partner
        and event_kinds.kind = loads.kind
)

select
    loads.partner,
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
