{#- Every month of the project range × every cluster, zeros included (CATALOGUE §4).
    open_projects_eom = projects received by the month's end whose won_on / lost_on is empty or
    later = (received by then) − (received and closed by then), both running counts per cluster:
    a project counts as closed from the month of greatest(first_received_on, won_on or lost_on). -#}
with

months as (
    select month, month_end from {{ ref('int_reporting_months') }} where in_project_range
),

clusters as (
    select cluster_code from {{ ref('dim_cluster') }}
),

projects as (
    select
        cluster_code,
        date_trunc('month', first_received_on)::date as received_month,
        date_trunc('month', won_on)::date as won_month,
        date_trunc('month', lost_on)::date as lost_month,
        -- (greatest() ignores NULLs: an open project must have no closed month)
        case when coalesce(won_on, lost_on) is not null then
            date_trunc('month', greatest(first_received_on, coalesce(won_on, lost_on)))::date
        end as closed_month
    from {{ ref('fct_projects') }}
),

events as (
    select cluster_code, received_month as month, 1 as new_projects, 0 as won_projects,
           0 as lost_projects, 0 as closed_projects
    from projects
    union all
    select cluster_code, won_month, 0, 1, 0, 0 from projects where won_month is not null
    union all
    select cluster_code, lost_month, 0, 0, 1, 0 from projects where lost_month is not null
    union all
    select cluster_code, closed_month, 0, 0, 0, 1 from projects where closed_month is not null
),

per_month as (
    select
        cluster_code,
        month,
        sum(new_projects) as new_projects,
        sum(won_projects) as won_projects,
        sum(lost_projects) as lost_projects,
        sum(closed_projects) as closed_projects
    from events
    group by cluster_code, month
),

grid as (
    select
        m.month,
        c.cluster_code,
        coalesce(p.new_projects, 0) as new_projects,
        coalesce(p.won_projects, 0) as won_projects,
        coalesce(p.lost_projects, 0) as lost_projects,
        coalesce(p.new_projects, 0) - coalesce(p.closed_projects, 0) as net_open
    from months as m
    cross join clusters as c
    left join per_month as p
        on p.month = m.month
        and p.cluster_code = c.cluster_code
),

-- projects received (and closed) before the range's first month cannot exist: the range starts
-- with the earliest first_received_on, and closed_month is never before received_month
running as (
    select
        *,
        sum(net_open) over (
            partition by cluster_code order by month
            rows between unbounded preceding and current row
        ) as open_projects_eom
    from grid
)

select
    month::date as month,
    cluster_code::varchar as cluster_code,
    new_projects::integer as new_projects,
    won_projects::integer as won_projects,
    lost_projects::integer as lost_projects,
    open_projects_eom::integer as open_projects_eom
from running
