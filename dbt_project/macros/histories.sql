{#- History of a partner's full-snapshot table (CATALOGUE §1.2, §3).

    Each loaded row is valid from its snapshot's period until the next snapshot that has a newer
    row of the record (`ended_by = 'update'`) or the first later snapshot in which the record is
    missing (`ended_by = 'deletion'`). A record whose row was set aside in a snapshot (its id is in
    the partner's quarantine for that load) is not missing: its state from the latest snapshot
    where it loaded goes on. Computed with window functions over the record's observations
    (loaded or set aside) and their snapshot index, so the cost grows with the rows, not with
    rows × snapshots.

    staged: the staging model; id_column: the record id column; quarantined: the model with the
    set-aside ids (record_id, _period, table_name); table_name: the raw table; partner, kind: the
    ledger's partner and kind of the snapshot files. -#}
{% macro snapshot_history(staged, id_column, quarantined, table_name, partner, kind) -%}
with staged as (
    {{ standing(staged) | indent(4) }}
),

ledger as (
    select * from {{ ref('stg_meta__load_ledger') }}
),

quarantined as (
    select q.record_id, q.table_name, l.period as _period
    from {{ ref(quarantined) }} as q
    inner join ledger as l on l.load_id = q._load_id
    where l.is_standing
),

snapshots as (
    select period, row_number() over (order by period) as snapshot_no
    from (
        select distinct period
        from ledger
        where partner = '{{ partner }}' and kind = '{{ kind }}' and is_standing
    )
),

loaded as (
    select *, upper(trim({{ id_column }})) as _record_key
    from staged
    where {{ id_column }} is not null
),

observations as (
    select _record_key, period, snapshot_no, bool_or(is_loaded) as is_loaded
    from (
        select _record_key, _period as period, true as is_loaded from loaded
        union all
        select upper(trim(record_id)), _period, false
        from quarantined
        where table_name = '{{ table_name }}' and record_id is not null
    ) as o
    inner join snapshots using (period)
    group by all
),

islands as (
    -- an island: a run of consecutive snapshots in which the record is loaded or set aside
    select *,
        snapshot_no - row_number() over (partition by _record_key order by snapshot_no) as island
    from observations
),

loaded_windows as (
    select
        _record_key,
        period,
        first_value(case when is_loaded then period end ignore nulls) over (
            partition by _record_key, island order by snapshot_no
            rows between 1 following and unbounded following) as next_loaded_period,
        max(snapshot_no) over (partition by _record_key, island) as island_last_no,
        is_loaded
    from islands
)

select
    loaded.* exclude (_record_key),
    loaded._period as valid_from,
    coalesce(w.next_loaded_period, after_island.period) as valid_to,
    case when w.next_loaded_period is not null then 'update'
         when after_island.period is not null then 'deletion' end as ended_by,
    coalesce(w.next_loaded_period, after_island.period) is null as is_current
from loaded
inner join loaded_windows as w
    on w._record_key = loaded._record_key and w.period = loaded._period
    and w.is_loaded
left join snapshots as after_island
    on after_island.snapshot_no = w.island_last_no + 1
{%- endmacro %}
