{#- One row per regional settlement (CATALOGUE §2); a regional settlement whose municipality
    did not map is set aside (int_regional_settlements.is_set_aside). -#}
with

settlements as (
    select * from {{ ref('int_regional_settlements') }}
    where is_regional and not is_set_aside
),

projects as (
    select project_id, cluster_code from {{ ref('int_regional_projects') }}
)

select
    s.project_id::varchar as project_id,
    s.decided_on::date as decided_on,
    s.ags::varchar as ags,
    p.cluster_code::varchar as cluster_code,
    s.jobs_new::integer as jobs_new,
    s.jobs_secured::integer as jobs_secured,
    {{ round_half_away('s.investment_eur', 2) }} as investment_eur,
    s.site_id::varchar as site_id,
    s.partner::varchar as source_partner
from settlements as s
inner join projects as p on s.project_id = p.project_id
