-- The district's enquiries as a history of its monthly full snapshots, deletions included (a
-- record missing from a later workbook is deleted from that month; a set-aside row is not). A
-- status without status date is dated on the last day of the period of the first workbook that
-- shows it (within the record's current run of that status).
with history as (
    {{ snapshot_history('stg_lk_leipzig__enquiries', 'enquiry_id', 'stg_lk_leipzig__quarantined_ids',
                        'enquiries', 'lk_leipzig', 'workbook') | indent(4) }}
),

status_runs as (
    select *,
        sum(case when status is not distinct from prev_status then 0 else 1 end)
            over (partition by enquiry_id order by valid_from) as status_run
    from (
        select *, lag(status) over (partition by enquiry_id order by valid_from) as prev_status
        from history
    )
)

select
    * exclude (status_on, prev_status, status_run),
    coalesce(status_on, last_day(min(valid_from) over (partition by enquiry_id, status_run))) as status_on,
    status_on is null as status_on_imputed
from status_runs
