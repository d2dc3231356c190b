{#-
  The months of the reporting ranges (CATALOGUE §0). Every range ends with the latest reporting
  period any partner delivered (IRL: the month of its latest events file), counting a file whose
  load a change of columns stopped. The project and
  settlement range starts with the month of the earliest `first_received_on` of the regional
  projects; the land (and deliveries) range with the first period any partner delivered.
-#}
with

periods as (
    select date_trunc('month', period)::date as period
    from {{ ref('int_partner_periods') }}
    where period is not null

    union all

    -- a file whose load a change of columns stopped was delivered too: it loads nothing, but
    -- its period counts for the range (the extract for that month is blocked by the stop)
    select period_month
    from {{ ref('stg_meta__load_ledger') }}
    where status = 'rejected_schema' and period_month is not null
),

projects as (
    select date_trunc('month', min(first_received_on))::date as first_month
    from {{ ref('int_regional_projects') }}
),

bounds as (
    select
        (select min(period) from periods) as land_start,
        (select max(period) from periods) as range_end,
        (select first_month from projects) as project_start
),

months as (
    select unnest(generate_series(
        least(project_start, land_start), range_end, interval 1 month
    ))::date as month
    from bounds
    where range_end is not null and least(project_start, land_start) is not null
)

select
    m.month,
    (m.month + interval 1 month - interval 1 day)::date as month_end,
    m.month >= b.project_start as in_project_range,
    m.month >= b.land_start as in_land_range
from months as m
cross join bounds as b
