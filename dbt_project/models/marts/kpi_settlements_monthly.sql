{#- Month of `decided_on` × AGS × cluster with at least one settlement, within the range.
    A sum without any known value is NULL (SUM over NULLs), rounded once at the end. -#}
with

months as (
    select month from {{ ref('int_reporting_months') }} where in_project_range
),

settlements as (
    select
        date_trunc('month', decided_on)::date as month,
        *
    from {{ ref('fct_settlements') }}
)

select
    s.month::date as month,
    s.ags::varchar as ags,
    s.cluster_code::varchar as cluster_code,
    count(*)::integer as settlements,
    sum(s.jobs_new)::integer as jobs_new,
    sum(s.jobs_secured)::integer as jobs_secured,
    {{ round_half_away('sum(s.investment_eur)', 2) }} as investment_eur
from settlements as s
inner join months as m on s.month = m.month
group by s.month, s.ags, s.cluster_code
