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
    ledger's partner and kind of the snapshot files.

    Incremental (docs/decisions/dbt-incremental-histories.md): when the changed loads are only
    snapshots later than every snapshot seen before (the monthly case), only the records' open
    rows (is_current) and the new snapshots' rows are recomputed, from the open row's snapshot
    on; a row closed before cannot change. A changed load of an earlier or the same period (a
    correction `_kN`, a superseded or a late-delivered snapshot) rebuilds the whole history. -#}
{% macro snapshot_history(staged, id_column, quarantined, table_name, partner, kind) -%}
{%- set incremental = history_is_incremental() %}
with
{%- if incremental %}
changed as (
    {{ snapshot_changed_loads(partner, kind) | indent(4) }}
),

increment as (
    -- rebuild: a changed load of a snapshot at or before the latest one seen (correction,
    -- superseded, late); else only rows from the open rows' snapshots on are recomputed
    select
        seen_through,
        rebuild,
        case when rebuild then date '0001-01-01'
             when not exists (select 1 from changed) then date '9999-12-31'
             else least(cast(seen_through + interval 1 day as date),
                        (select min(valid_from) from {{ this }} where is_current)) end as earliest_open
    from (
        select
            coalesce(({{ seen_through(partner, [kind]) }}), date '0001-01-01') as seen_through,
            {{ snapshot_rebuild(partner, kind) }} as rebuild
    )
),

open_rows as (
    select upper(trim({{ id_column }})) as _record_key, min(valid_from) as open_from
    from {{ this }}
    where is_current
    group by all
),
{%- endif %}

staged as (
    {{ standing(staged) | indent(4) }}
    {%- if incremental %}
      and _s._period >= (select earliest_open from increment)
    {%- endif %}
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
    select staged.*, upper(trim(staged.{{ id_column }})) as _record_key
    from staged
    {%- if incremental %}
    left join open_rows on open_rows._record_key = upper(trim(staged.{{ id_column }}))
    {%- endif %}
    where staged.{{ id_column }} is not null
    {%- if incremental %}
      and ((select rebuild from increment)
           or staged._period > (select seen_through from increment)
           or staged._period >= open_rows.open_from)
    {%- endif %}
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
    {%- if incremental %}
    left join open_rows using (_record_key)
    where (select rebuild from increment)
       or period > (select seen_through from increment)
       or period >= open_rows.open_from
    {%- endif %}
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


{#- The partner's changed snapshot loads that matter: they stand now or stood at the last build
    (a duplicate or rejected file changes nothing). -#}
{% macro snapshot_changed_loads(partner, kind) -%}
select *
from ({{ changed_loads(partner, [kind]) }})
where is_standing or coalesce(was_standing, false)
{%- endmacro %}

{#- Whether an incremental run of a snapshot history must rebuild it whole: a changed snapshot
    load at or before the latest snapshot seen (a correction, a superseded or late snapshot). -#}
{% macro snapshot_rebuild(partner, kind) -%}
coalesce((
    select bool_or(_c.period <= coalesce(({{ seen_through(partner, [kind]) }}), date '0001-01-01'))
    from ({{ snapshot_changed_loads(partner, kind) }}) as _c), false)
{%- endmacro %}
