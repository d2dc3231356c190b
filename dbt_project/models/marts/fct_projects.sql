-- A typed projection of int_regional_projects, so a view: a table would write the same 2 M rows
-- (--scale 1000) again in every build; readers (the gate, the extract, the analysts' copy, which
-- stores it as a table) pay a projection (docs/performance.md)
{{ config(materialized='view') }}
select
    project_id::varchar as project_id,
    first_received_on::date as first_received_on,
    cluster_code::varchar as cluster_code,
    origin_country::varchar as origin_country,
    project_type::varchar as project_type,
    status::varchar as status,
    won_on::date as won_on,
    lost_on::date as lost_on,
    lost_reason::varchar as lost_reason,
    {{ round_half_away('required_area_m2', 2) }} as required_area_m2,
    planned_jobs::integer as planned_jobs,
    {{ round_half_away('planned_investment_eur', 2) }} as planned_investment_eur,
    partners::varchar[] as partners,
    record_count::integer as record_count
from {{ ref('int_regional_projects') }}
