-- One row per settlement record that currently stands (docs/record_layer.md): the city's latest
-- `ansiedlungen` row per enquiry (corrections applied), the district's `Ansiedlungen` rows of the
-- latest workbook (deleted ones excluded, set-aside ones kept), and IRL's `project.won` while it is
-- the project's latest status event.
with city as (
    select * from {{ ref('int_stadt_leipzig__settlement_history') }} where is_current
),

district as (
    select * from {{ ref('int_lk_leipzig__settlement_history') }} where is_current
),

irl as (
    select * from {{ ref('int_irl__project_history') }}
    where is_current and status_event_type = 'project.won'
),

municipalities as (
    select * from {{ ref('municipalities') }}
),

unioned as (
    select
        'stadt_leipzig' as partner,
        {{ clean_ref('enquiry_id') }} as record_id,
        company_name,
        case when irl_project_ref is not null then ['irl:' || irl_project_ref] else [] end::varchar[] as referenced_keys,
        decided_on,
        ags,
        false as ags_unmapped,
        jobs_new,
        jobs_secured,
        investment_eur,
        site_id,
        cluster_code,
        cluster_unmapped,
        project_type,
        true as is_territorial
    from city

    union all

    select
        'lk_leipzig',
        {{ clean_ref('enquiry_id') }},
        company_name,
        case when irl_project_ref is not null then ['irl:' || irl_project_ref] else [] end::varchar[],
        decided_on,
        ags,
        ags_unmapped,
        jobs_new,
        jobs_secured,
        investment_eur,
        site_id,
        cluster_code,
        cluster_unmapped,
        project_type,
        true
    from district

    union all

    select
        'irl',
        {{ clean_ref('irl.project_id') }},
        irl.company_name,
        irl.partner_refs,
        irl.won_event.decided_on,
        m.ags,
        irl.won_event.ags is not null and m.ags is null,
        irl.won_event.jobs_new,
        irl.won_event.jobs_secured,
        irl.won_event.investment_eur,
        irl.won_event.site_id,
        irl.cluster_code,
        irl.cluster_unmapped,
        irl.project_type,
        false
    from irl
    left join municipalities as m on m.ags = irl.won_event.ags
)

select
    partner,
    record_id,
    partner || ':' || record_id as record_key,
    company_name,
    referenced_keys,
    decided_on,
    ags,
    ags_unmapped,
    cast(jobs_new as integer) as jobs_new,
    cast(jobs_secured as integer) as jobs_secured,
    cast(investment_eur as decimal(18, 2)) as investment_eur,
    site_id,
    cluster_code,
    cluster_unmapped,
    project_type,
    is_territorial
from unioned
