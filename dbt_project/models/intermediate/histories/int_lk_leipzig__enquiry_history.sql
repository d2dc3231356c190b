{{ history_config(['enquiry_id', 'valid_from']) }}
-- The district's enquiries as a history of its monthly full snapshots, deletions included (a
-- record missing from a later workbook is deleted from that month; a set-aside row is not). A
-- status without status date is dated on the last day of the period of the first workbook that
-- shows it (within the record's current run of that status: `status_run_started`; the run goes
-- on over a deletion when the record comes back with the same status).
-- Incremental: the macro returns only the open rows and the new snapshots' rows; each record's
-- latest kept row (its open row, or the row a deletion closed) carries the start of its status
-- run, so a run that goes on keeps its date.
{%- set incremental = history_is_incremental() %}
with history as (
    {{ snapshot_history('stg_lk_leipzig__enquiries', 'enquiry_id', 'stg_lk_leipzig__quarantined_ids',
                        'enquiries', 'lk_leipzig', 'workbook') | indent(4) }}
),
{%- if incremental %}

kept as (
    -- a record's latest row is its open row or the row a deletion closed (a row an update ended
    -- has a later one): only those are read, not the record's whole history
    select
        enquiry_id,
        arg_max({'valid_from': valid_from, 'status': status, 'run_started': status_run_started,
                 'is_current': is_current}, valid_from) as last
    from {{ this }}
    where (is_current or ended_by = 'deletion')
      and enquiry_id in (select enquiry_id from history)
      and not {{ snapshot_rebuild('lk_leipzig', 'workbook') }}
    group by enquiry_id
),
{%- endif %}

observed as (
    -- the status runs are computed on these few columns and joined back: windows sort what
    -- they carry (at --scale 1000 the whole rows made them 3 of a monthly build's seconds)
    select enquiry_id, valid_from, status, false as _context
    from history
    {%- if incremental %}

    union all by name

    -- a closed latest row goes before the record's new rows, only for the status run
    select enquiry_id, last.valid_from as valid_from, last.status as status, true as _context
    from kept
    where not last.is_current
    {%- endif %}
),

status_runs as (
    -- a run of one status starts at the record's first row and wherever the status changes
    select
        observed.*,
        {%- if incremental %}
        case when kept.last.valid_from = observed.valid_from then kept.last.run_started end as _kept_run_started,
        {%- else %}
        cast(null as date) as _kept_run_started,
        {%- endif %}
        lag(observed.valid_from) over by_valid_from is null
            or observed.status is distinct from lag(observed.status) over by_valid_from as _starts_run
    from observed
    {%- if incremental %}
    left join kept using (enquiry_id)
    {%- endif %}
    window by_valid_from as (partition by observed.enquiry_id order by observed.valid_from)
),

dated as (
    select *,
        -- the start of the run the row belongs to (the latest run start so far): the first row's
        -- valid_from, or the kept start where the run goes on from the record's kept row (always
        -- the record's first observed row)
        last_value(case when _starts_run then coalesce(_kept_run_started, valid_from) end ignore nulls) over (
            partition by enquiry_id order by valid_from
            rows between unbounded preceding and current row) as _run_started
    from status_runs
)

select
    history.* exclude (status_on),
    coalesce(history.status_on, last_day(dated._run_started)) as status_on,
    history.status_on is null as status_on_imputed,
    dated._run_started as status_run_started
from history
inner join dated
    on dated.enquiry_id = history.enquiry_id
    and dated.valid_from = history.valid_from
    and not dated._context
