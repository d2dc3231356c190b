{#-
  Regional projects as connected groups of records (CATALOGUE §1). Two records are linked when
    1. one refers to the other (a reference to a record that was never delivered links nothing),
    2. they carry the same register entry and were received at most 365 days apart,
    3. they carry the same normalised company name and were received at most 90 days apart;
  windows are checked pair by pair, and the groups are the connected components of these links
  (rules 2 and 3 as runs of one key, see `windowed_links`; min-label propagation over `record_rank`
  in a recursive CTE keyed by record).
  The group's label is its earliest record, which names the project:
  `project_id` = RP- + first 12 hex digits of sha256('<partner>:<record id>').
-#}
with recursive

records as (
    select
        record_key,
        partner,
        record_id,
        received_on,
        row_number() over (
            order by received_on, {{ partner_rank('partner') }}, partner, record_id
        )::integer as record_rank
    from {{ ref('int_regional_records') }}
),

match_keys as (
    select
        k.record_key,
        k.key_kind,
        k.match_key,
        r.record_rank,
        r.received_on
    from {{ ref('int_regional_match_keys') }} as k
    inner join records as r on k.record_key = r.record_key
),

reference_links as (
    select
        k.record_rank as rank_a,
        r.record_rank as rank_b
    from match_keys as k
    -- a record's key is its reference key: `<partner>:<record id>`, the id already cleaned
    -- like a reference (clean_ref), so the join needs no expression over every record
    inner join records as r
        on k.match_key = r.record_key
    where k.key_kind = 'reference'
        and k.record_rank <> r.record_rank
),

-- Rules 2 and 3 without comparing every pair: the records of one key, in received order,
-- fall into runs where each is at most the window after the one before. Two records within the
-- window of each other lie in one run (every gap between them is smaller), and a run is
-- connected through its consecutive pairs, so linking every record to its run's first record
-- gives the same groups with one link per record (at --scale 1000 a common name has over a
-- thousand records: all pairs were 445 million rows).
key_gaps as (
    -- record_rank orders by received date first, so (received_on, record_rank) order is
    -- record_rank order, and a run's first record is its smallest rank
    select
        key_kind,
        match_key,
        record_rank,
        date_diff(
            'day',
            lag(received_on) over (partition by key_kind, match_key order by record_rank),
            received_on
        ) as days_after_previous
    from match_keys
    where key_kind in ('register', 'name')
),

windowed_links as (
    -- each record to the first record of its run: the latest run start at or before it
    select
        record_rank as rank_a,
        last_value(
            case
                when days_after_previous is null
                    or days_after_previous > case key_kind when 'register' then 365 else 90 end
                then record_rank
            end ignore nulls
        ) over (
            partition by key_kind, match_key
            order by record_rank
            rows between unbounded preceding and current row
        ) as rank_b
    from key_gaps
    qualify rank_a <> rank_b
),

links as (
    select rank_a, rank_b from reference_links
    union all
    select rank_a, rank_b from windowed_links
),

edges as (
    -- a duplicate edge only repeats a candidate label for `min`: not removed (at --scale 1000
    -- removing 0.6 M duplicates of 4.2 M edges cost more than propagating them)
    select rank_a as node, rank_b as neighbour from links
    union all
    select rank_b as node, rank_a as neighbour from links
),

components (node, label) using key (node) as (
    select record_rank, record_rank from records
    union
    -- a node whose neighbour's label is smaller takes it; only changed nodes propagate
    select e.node, min(changed.label)
    from components as changed
    inner join edges as e on e.neighbour = changed.node
    inner join recurring.components as current_label on current_label.node = e.node
    group by e.node, current_label.label
    having min(changed.label) < current_label.label
),

earliest as (
    -- the project id is hashed once per group, not once per record
    select
        g.record_rank,
        g.record_key,
        {{ regional_project_id('g.partner', 'g.record_id') }} as project_id
    from records as g
    semi join (select distinct label from components) as l on l.label = g.record_rank
)

select
    r.record_key,
    r.partner,
    r.record_id,
    r.received_on,
    r.record_rank,
    g.project_id,
    g.record_key as project_record_key
from records as r
inner join components as c on c.node = r.record_rank
inner join earliest as g on g.record_rank = c.label
