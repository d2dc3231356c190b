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

  Incremental (docs/decisions/dbt-incremental-linking.md): each row keeps what the record was
  linked by (`received_on`, `link_keys` and their fingerprint `link_hash`). A build regroups
  only the records whose groups can change: the touched records (new, gone, or with another
  received date or other keys), the records in a run of one of their keys (before or after),
  the records they refer to or that refer to them, and every record of the previous groups of
  all these. Every other group is the same as before, so its rows stay. A full refresh groups
  every record.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='record_key',
    on_schema_change='fail',
    post_hook="{{ drop_records_gone() }}"
) }}
{%- set incremental = is_incremental() %}
with recursive

all_records as (
    select
        record_key,
        partner,
        record_id,
        received_on,
        {{ partner_rank('partner') }} as partner_rank
    from {{ ref('int_regional_records') }}
),

all_keys as (
    select record_key, key_kind, match_key from {{ ref('int_regional_match_keys') }}
),

{%- if incremental %}

previous as (
    select record_key, partner, record_id, received_on, link_keys, link_hash, project_id
    from {{ this }}
),

current_inputs as (
    -- what each record is linked by now, as a fingerprint of its keys (no list per record: at
    -- --scale 1000 building 2.8 M lists to compare them cost 3 of a monthly build's seconds)
    select
        r.record_key,
        r.received_on,
        coalesce(l.link_hash, 0::ubigint) as link_hash
    from all_records as r
    left join (
        select record_key, {{ link_hash('key_kind', 'match_key') }} as link_hash
        from all_keys
        group by record_key
    ) as l on l.record_key = r.record_key
),

touched_records as (
    -- new and gone records, and records received on another day or with other keys
    select
        coalesce(n.record_key, p.record_key) as record_key,
        p.link_keys as previous_keys
    from current_inputs as n
    full outer join previous as p on p.record_key = n.record_key
    where n.record_key is null
        or p.record_key is null
        or n.received_on is distinct from p.received_on
        or n.link_hash <> p.link_hash
),

touched as (
    -- with the keys they had and the keys they have
    select
        t.record_key,
        coalesce(t.previous_keys, []::varchar[])
            || coalesce(c.link_keys, []::varchar[]) as link_keys
    from touched_records as t
    left join (
        select record_key, list(key_kind || '|' || match_key) as link_keys
        from all_keys
        semi join touched_records using (record_key)
        group by record_key
    ) as c on c.record_key = t.record_key
),

touched_keys as (
    select distinct
        split_part(link_key, '|', 1) as key_kind,
        substr(link_key, strpos(link_key, '|') + 1) as match_key
    from (select unnest(link_keys) as link_key from touched)
),

key_members as (
    -- the records of the touched name and register keys, as they were and as they are
    select 'previous' as side, p.record_key, t.key_kind, t.match_key, p.received_on,
        {{ partner_rank('p.partner') }} as partner_rank, p.partner, p.record_id
    from (select *, unnest(link_keys) as link_key from previous) as p
    inner join touched_keys as t on p.link_key = t.key_kind || '|' || t.match_key
    where t.key_kind in ('register', 'name')

    union all

    select 'current', k.record_key, k.key_kind, k.match_key, r.received_on,
        r.partner_rank, r.partner, r.record_id
    from all_keys as k
    inner join touched_keys as t on k.key_kind = t.key_kind and k.match_key = t.match_key
    inner join all_records as r on r.record_key = k.record_key
    where t.key_kind in ('register', 'name')
),

key_member_gaps as (
    select
        *,
        date_diff('day', lag(received_on) over by_received, received_on) as days_after_previous
    from key_members
    window by_received as (
        partition by side, key_kind, match_key
        order by received_on, partner_rank, partner, record_id
    )
),

key_member_runs as (
    -- the runs of each key (see `key_gaps` below), numbered
    select
        *,
        count(*) filter (
            where days_after_previous is null
                or days_after_previous > case key_kind when 'register' then 365 else 90 end
        ) over (
            partition by side, key_kind, match_key
            order by received_on, partner_rank, partner, record_id
            rows between unbounded preceding and current row
        ) as run_no
    from key_member_gaps
),

touched_runs as (
    select distinct side, key_kind, match_key, run_no
    from key_member_runs
    semi join touched using (record_key)
),

relinked as (
    -- the touched records, the records in their runs, and the records they refer to or that
    -- refer to them
    select record_key from touched
    union
    select record_key from key_member_runs semi join touched_runs using (side, key_kind, match_key, run_no)
    union
    select record_key from all_keys
    where key_kind = 'reference' and match_key in (select record_key from touched)
    union
    select substr(link_key, strlen('reference|') + 1)
    from (select unnest(link_keys) as link_key from touched)
    where starts_with(link_key, 'reference|')
),

regrouped as (
    -- and every record of their previous groups
    select record_key from relinked
    union
    select record_key from previous
    where project_id in (select project_id from previous semi join relinked using (record_key))
),
{%- endif %}

records as (
    select
        record_key,
        partner,
        record_id,
        received_on,
        row_number() over (
            order by received_on, partner_rank, partner, record_id
        )::integer as record_rank
    from all_records
    {%- if incremental %}
    semi join regrouped using (record_key)
    {%- endif %}
),

match_keys as (
    select
        k.record_key,
        k.key_kind,
        k.match_key,
        r.record_rank,
        r.received_on
    from all_keys as k
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
),

link_inputs as (
    -- what a grouped record is linked by, kept with its row: its keys (`kind|key`, sorted) and
    -- their fingerprint
    select
        record_key,
        list_sort(list(key_kind || '|' || match_key)) as link_keys,
        {{ link_hash('key_kind', 'match_key') }} as link_hash
    from match_keys
    group by record_key
)

select
    r.record_key,
    r.partner,
    r.record_id,
    r.received_on,
    g.project_id,
    g.record_key as project_record_key,
    coalesce(l.link_keys, []::varchar[]) as link_keys,
    coalesce(l.link_hash, 0::ubigint) as link_hash
from records as r
inner join components as c on c.node = r.record_rank
inner join earliest as g on g.record_rank = c.label
left join link_inputs as l on l.record_key = r.record_key
