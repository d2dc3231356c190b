{#- CATALOGUE §6: a district workbook that drops more than 5 % of the previous workbook's
    records, or any settlement, blocks the month until an operator accepts it.

    Records are compared by id between the standing workbook of a period and the standing
    workbook of the latest earlier period. A row that is set aside is not a deletion, but
    its id is only in the quarantined row text (never read here): the set-aside rows of the
    later workbook's sheet are therefore subtracted from the dropped count (a conservative
    estimate, see docs/quality.md). -#}
with

loads as (
    select * from {{ ref('int_quality__loads') }}
    where partner = 'lk_leipzig' and kind = 'workbook' and is_standing
),

set_aside as (
    select * from {{ ref('int_quality__set_aside_rows') }}
    where partner = 'lk_leipzig'
),

workbooks as (
    select
        load_id,
        file_name,
        period,
        month,
        lag(load_id) over (order by period) as previous_load_id,
        lag(file_name) over (order by period) as previous_file_name
    from loads
),

records as (
    select 'enquiries' as table_name, enquiry_id as record_id, _load_id as load_id,
        _row_number as row_number
    from {{ source('raw_lk_leipzig', 'enquiries') }}
    union all
    select 'settlements', enquiry_id, _load_id, _row_number
    from {{ source('raw_lk_leipzig', 'settlements') }}
),

dropped as (
    select
        workbooks.load_id,
        workbooks.file_name,
        workbooks.month,
        previous.table_name,
        previous.record_id,
        workbooks.previous_file_name,
        previous.row_number as previous_row_number
    from workbooks
    inner join records as previous
        on previous.load_id = workbooks.previous_load_id
    where not exists (
        select 1 from records as current_rows
        where current_rows.load_id = workbooks.load_id
          and current_rows.table_name = previous.table_name
          and current_rows.record_id = previous.record_id
    )
),

previous_counts as (
    select workbooks.load_id, records.table_name, count(*) as previous_records
    from workbooks
    inner join records on records.load_id = workbooks.previous_load_id
    group by all
),

set_aside_counts as (
    select load_id, table_name, count(*) as set_aside_rows
    from set_aside
    group by all
),

dropped_counts as (
    select load_id, file_name, month, table_name, count(*) as dropped_records
    from dropped
    group by all
)

select
    dropped_counts.load_id,
    dropped_counts.file_name,
    dropped_counts.month,
    dropped_counts.table_name,
    previous_counts.previous_records,
    dropped_counts.dropped_records,
    coalesce(set_aside_counts.set_aside_rows, 0) as set_aside_rows,
    greatest(dropped_counts.dropped_records - coalesce(set_aside_counts.set_aside_rows, 0), 0)
        as deleted_records,
    case dropped_counts.table_name
        when 'settlements' then
            greatest(dropped_counts.dropped_records - coalesce(set_aside_counts.set_aside_rows, 0), 0) > 0
        else
            greatest(dropped_counts.dropped_records - coalesce(set_aside_counts.set_aside_rows, 0), 0)
            > 0.05 * previous_counts.previous_records
    end as exceeds_threshold
from dropped_counts
inner join previous_counts
    on previous_counts.load_id = dropped_counts.load_id
    and previous_counts.table_name = dropped_counts.table_name
left join set_aside_counts
    on set_aside_counts.load_id = dropped_counts.load_id
    and set_aside_counts.table_name = dropped_counts.table_name
