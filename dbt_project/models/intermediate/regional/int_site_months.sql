{#-
  Which snapshot stands for each site-delivering partner and month of the land range
  (CATALOGUE §3): the partner's snapshot for the month, else its latest earlier snapshot for at
  most two months (a stand-in). `snapshot_month` is NULL where the stand-in ran out (the partner's
  sites count nowhere that month: a finding), and months before the partner's first snapshot have
  no row. A snapshot month is one the partner delivered its sites file for (the city's `sites`,
  the district's `workbook`; an empty snapshot is a delivery too), or one with site rows.
-#}
with

delivered as (
    select distinct partner, date_trunc('month', period)::date as snapshot_month
    from {{ ref('int_partner_periods') }}
    where kind in (
        {%- for k in var('site_snapshot_kinds', ['sites', 'workbook']) -%}
            '{{ k }}'{{ ',' if not loop.last }}
        {%- endfor -%}
    )
    union
    select distinct partner, snapshot_month
    from {{ ref('int_site_snapshots') }}
),

months as (
    select month from {{ ref('int_reporting_months') }} where in_land_range
),

latest_snapshot as (
    select
        d.partner,
        m.month,
        max(d.snapshot_month) as latest_snapshot_month
    from months as m
    inner join delivered as d on d.snapshot_month <= m.month
    group by d.partner, m.month
)

select
    partner,
    month,
    case
        when {{ months_between_expr('latest_snapshot_month', 'month') }} <= 2
            then latest_snapshot_month
    end as snapshot_month,
    latest_snapshot_month,
    latest_snapshot_month < month as is_stand_in,
    {{ months_between_expr('latest_snapshot_month', 'month') }} > 2 as stand_in_ran_out
from latest_snapshot
