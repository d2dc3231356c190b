{{ history_config('enquiry_id') }}
-- The city's enquiries as a per-record history of its monthly deltas: each delivered row is valid
-- from its reporting period until the next period that delivers the enquiry again. A correction
-- `_kN` replaces its period's file (the ledger's superseded_by already drops the old one). A status
-- without status date is dated on the last day of the period of the first file that shows it.
with enquiries as (
    {{ standing('stg_stadt_leipzig__enquiries') | indent(4) }}
    {%- if history_is_incremental() %}
      and _s.enquiry_id in (
        select enquiry_id from {{ ref('stg_stadt_leipzig__enquiries') }}
        where _load_id in (select load_id from ({{ changed_loads('stadt_leipzig') }})))
    {%- endif %}
),

one_per_period as (
    select *
    from enquiries
    qualify row_number() over (
        partition by enquiry_id, _period order by _correction desc, _loaded_at desc, _row_number) = 1
),

status_runs as (
    -- a run of one status starts at the record's first period and wherever the status changes
    select *,
        lag(_period) over by_period is null
            or status is distinct from lag(status) over by_period as _starts_run,
        lead(_period) over by_period as _next_period
    from one_per_period
    window by_period as (partition by enquiry_id order by _period)
),

dated as (
    select *,
        -- the first period of the run the row belongs to: the latest run start so far
        last_value(case when _starts_run then _period end ignore nulls) over (
            partition by enquiry_id order by _period
            rows between unbounded preceding and current row) as status_first_period
    from status_runs
)

select
    * exclude (status_on, _starts_run, _next_period, status_first_period),
    coalesce(status_on, last_day(status_first_period)) as status_on,
    status_on is null as status_on_imputed,
    _period as valid_from,
    _next_period as valid_to,
    _next_period is null as is_current
from dated
