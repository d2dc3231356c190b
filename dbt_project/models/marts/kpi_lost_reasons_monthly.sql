{#- Month of `lost_on` × reason with at least one loss; an empty reason counts as `other`. -#}
with

months as (
    select month from {{ ref('int_reporting_months') }} where in_project_range
),

losses as (
    select
        date_trunc('month', lost_on)::date as month,
        coalesce(lost_reason, 'other') as lost_reason
    from {{ ref('fct_projects') }}
    where status = 'lost'
)

select
    l.month::date as month,
    l.lost_reason::varchar as lost_reason,
    count(*)::integer as lost_projects
from losses as l
inner join months as m on l.month = m.month
group by l.month, l.lost_reason
