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
    select *,
        sum(case when status is not distinct from prev_status then 0 else 1 end)
            over (partition by enquiry_id order by _period) as status_run
    from (
        select *, lag(status) over (partition by enquiry_id order by _period) as prev_status
        from one_per_period
    )
),

dated as (
    select *,
        min(_period) over (partition by enquiry_id, status_run) as status_first_period
    from status_runs
)

select
    * exclude (status_on, prev_status, status_run, status_first_period),
    coalesce(status_on, last_day(status_first_period)) as status_on,
    status_on is null as status_on_imputed,
    _period as valid_from,
    lead(_period) over (partition by enquiry_id order by _period) as valid_to,
    lead(_period) over (partition by enquiry_id order by _period) is null as is_current
from dated
