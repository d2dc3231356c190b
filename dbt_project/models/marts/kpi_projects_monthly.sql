{#- Every month of the project range × every cluster, zeros included (CATALOGUE §4). -#}
with

months as (
    select month, month_end from {{ ref('int_reporting_months') }} where in_project_range
),

clusters as (
    select cluster_code from {{ ref('dim_cluster') }}
),

projects as (
    select * from {{ ref('fct_projects') }}
),

counts as (
    select
        m.month,
        c.cluster_code,
        count(p.project_id) filter (
            where date_trunc('month', p.first_received_on) = m.month) as new_projects,
        count(p.project_id) filter (
            where date_trunc('month', p.won_on) = m.month) as won_projects,
        count(p.project_id) filter (
            where date_trunc('month', p.lost_on) = m.month) as lost_projects,
        count(p.project_id) filter (
            where p.first_received_on <= m.month_end
                and (p.won_on is null or p.won_on > m.month_end)
                and (p.lost_on is null or p.lost_on > m.month_end)) as open_projects_eom
    from months as m
    cross join clusters as c
    left join projects as p on p.cluster_code = c.cluster_code
    group by m.month, c.cluster_code
)

select
    month::date as month,
    cluster_code::varchar as cluster_code,
    new_projects::integer as new_projects,
    won_projects::integer as won_projects,
    lost_projects::integer as lost_projects,
    open_projects_eom::integer as open_projects_eom
from counts
