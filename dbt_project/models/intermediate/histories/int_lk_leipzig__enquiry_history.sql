{{ history_config(['enquiry_id', 'valid_from']) }}
-- The district's enquiries as a history of its monthly full snapshots, deletions included (a
-- record missing from a later workbook is deleted from that month; a set-aside row is not). A
-- status without status date is dated on the last day of the period of the first workbook that
-- shows it (within the record's current run of that status: `status_run_started`).
-- Incremental: the macro returns only the open rows and the new snapshots' rows; the open row
-- carries the start of its status run, so a run that goes on keeps its date.
{%- set incremental = history_is_incremental() %}
with history as (
    {{ snapshot_history('stg_lk_leipzig__enquiries', 'enquiry_id', 'stg_lk_leipzig__quarantined_ids',
                        'enquiries', 'lk_leipzig', 'workbook') | indent(4) }}
),
{%- if incremental %}

open_rows as (
    select enquiry_id, valid_from, status_run_started
    from {{ this }}
    where is_current and not {{ snapshot_rebuild('lk_leipzig', 'workbook') }}
),
{%- endif %}

status_runs as (
    select *,
        sum(case when status is not distinct from prev_status then 0 else 1 end)
            over (partition by enquiry_id order by valid_from) as status_run
    from (
        select history.*,
            lag(history.status) over (partition by history.enquiry_id order by history.valid_from) as prev_status,
            {%- if incremental %}
            open_rows.status_run_started as _open_run_started
            {%- else %}
            cast(null as date) as _open_run_started
            {%- endif %}
        from history
        {%- if incremental %}
        left join open_rows using (enquiry_id, valid_from)
        {%- endif %}
    )
),

dated as (
    select *,
        coalesce(
            min(_open_run_started) over (partition by enquiry_id, status_run),
            min(valid_from) over (partition by enquiry_id, status_run)) as _run_started
    from status_runs
)

select
    * exclude (status_on, prev_status, status_run, _open_run_started, _run_started),
    coalesce(status_on, last_day(_run_started)) as status_on,
    status_on is null as status_on_imputed,
    _run_started as status_run_started
from dated
