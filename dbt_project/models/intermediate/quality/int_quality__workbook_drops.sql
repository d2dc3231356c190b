{#- CATALOGUE §6: a district workbook that drops more than 5 % of the previous workbook's
    records, or any settlement, blocks the month until an operator accepts it.

    Records are compared by id between the standing workbook of a period and the standing
    workbook of the latest earlier period. A record whose row was set aside in the later
    workbook is not a deletion (CATALOGUE §1.2): its id comes from
    stg_lk_leipzig__quarantined_ids.

    The check applies to the standing loads of the kinds the contracts declare as full
    snapshots (`semantics: snapshot`), each compared with the previous load of the same partner
    and kind. The records come from the district's staging models (the only partner that
    delivers enquiries and settlements as snapshots); the city's sites files are snapshots too
    but hold no enquiries or settlements, so they yield no rows.

    Incremental (docs/decisions/dbt-incremental-histories.md): a load's check depends only on its
    records and on those of the load it is compared with, which never change; so a run checks
    only the standing loads whose (load, previous load) pair has no row yet: a new workbook, or
    one whose predecessor changed (a correction of the month before), its old rows replaced
    (`delete+insert` on load_id). The post-hook removes the checks of loads that no longer
    stand. At --scale 1000 a month's build compared all 24 workbooks again (458 000 enquiries
    each). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='load_id',
    on_schema_change='fail',
    post_hook="{{ drop_rows_of_loads_not_standing('load_id', ref('int_quality__loads')) }}"
) }}
with

snapshot_kinds as (
    select partner, kind
    from {{ ref('stg_meta__partner_kinds') }}
    where semantics = 'snapshot'
),

loads as (
    select loads.*
    from {{ ref('int_quality__loads') }} as loads
    inner join snapshot_kinds
        on snapshot_kinds.partner = loads.partner
        and snapshot_kinds.kind = loads.kind
    where loads.is_standing
),

enquiries as (
    select * from {{ ref('stg_lk_leipzig__enquiries') }}
),

settlements as (
    select * from {{ ref('stg_lk_leipzig__settlements') }}
),

quarantined as (
    select * from {{ ref('stg_lk_leipzig__quarantined_ids') }}
),

all_workbooks as (
    select
        load_id,
        partner,
        file_name,
        month,
        lag(load_id) over (partition by partner, kind order by period, load_id) as previous_load_id
    from loads
),

workbooks as (
    -- the first load of a kind has nothing to be compared with
    select *
    from all_workbooks
    where previous_load_id is not null
    {%- if is_incremental() %}
      and not exists (
          select 1 from {{ this }} as checked
          where checked.load_id = all_workbooks.load_id
            and checked.previous_load_id = all_workbooks.previous_load_id)
    {%- endif %}
),

compared_loads as (
    select load_id from workbooks
    union
    select previous_load_id from workbooks
),

records as (
    select * from (
        select 'enquiries' as table_name, enquiry_id as record_id, _load_id as load_id
        from enquiries
        union all
        select 'settlements', enquiry_id, _load_id
        from settlements
        union all
        select table_name, record_id, _load_id
        from quarantined
        where record_id is not null
    )
    where load_id in (select load_id from compared_loads)
),

previous_records as (
    select distinct workbooks.load_id, records.table_name, records.record_id
    from workbooks
    inner join records on records.load_id = workbooks.previous_load_id
),

current_records as (
    select distinct workbooks.load_id, records.table_name, records.record_id
    from workbooks
    inner join records on records.load_id = workbooks.load_id
),

counts as (
    select
        previous_records.load_id,
        previous_records.table_name,
        count(*) as previous_records,
        count(*) filter (where current_records.record_id is null) as dropped_records
    from previous_records
    left join current_records
        on current_records.load_id = previous_records.load_id
        and current_records.table_name = previous_records.table_name
        and current_records.record_id = previous_records.record_id
    group by all
)

select
    workbooks.load_id,
    workbooks.previous_load_id,
    workbooks.partner,
    workbooks.file_name,
    workbooks.month,
    counts.table_name,
    counts.previous_records,
    counts.dropped_records,
    case counts.table_name
        when 'settlements' then counts.dropped_records > 0
        else counts.dropped_records > 0.05 * counts.previous_records
    end as exceeds_threshold
from counts
inner join workbooks on workbooks.load_id = counts.load_id
where counts.table_name in ('enquiries', 'settlements')
