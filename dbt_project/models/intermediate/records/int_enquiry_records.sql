-- One row per current enquiry record of the three partners, in one shape (docs/record_layer.md):
-- city: the row of the latest reporting period (corrections applied); district: the row of the
-- latest workbook where it loaded, deleted records excluded; IRL: the state after its last event.
-- The `*_unmapped` flags and status_on_imputed carry the findings the gate reports (docs/quality.md).
with city as (
    select * from {{ ref('int_stadt_leipzig__enquiry_history') }} where is_current
),

district as (
    select * from {{ ref('int_lk_leipzig__enquiry_history') }} where is_current
),

irl as (
    select * from {{ ref('int_irl__project_history') }} where is_current
),

irl_unknown_ags as (
    -- IRL sends AGS codes: a candidate AGS that is not a municipality of the reference
    select distinct project_id
    from (select project_id, unnest(candidate_ags) as ags from irl) as candidates
    where ags not in (select ags from {{ ref('municipalities') }})
),

unioned as (
    select
        'stadt_leipzig' as partner,
        {{ clean_ref('enquiry_id') }} as record_id,
        received_on,
        company_name,
        register_number as register_raw,
        register_court as register_court_raw,
        case when irl_project_ref is not null then ['irl:' || irl_project_ref] else [] end::varchar[] as referenced_keys,
        status,
        status_on,
        status_on_imputed,
        lost_reason,
        lost_reason_unmapped,
        cluster_code,
        cluster_unmapped,
        origin_country,
        origin_country_unmapped,
        project_type,
        project_type_unmapped,
        required_area_m2,
        planned_jobs,
        planned_investment_eur,
        ['{{ var("territory_ags")["stadt_leipzig"] }}']::varchar[] as candidate_ags,
        false as municipality_unmapped,
        _period as last_period
    from city

    union all

    select
        'lk_leipzig',
        {{ clean_ref('enquiry_id') }},
        received_on,
        company_name,
        register_entry,
        null,
        case when irl_project_ref is not null then ['irl:' || irl_project_ref] else [] end::varchar[],
        status,
        status_on,
        status_on_imputed,
        lost_reason,
        lost_reason_unmapped,
        cluster_code,
        cluster_unmapped,
        origin_country,
        origin_country_unmapped,
        project_type,
        project_type_unmapped,
        required_area_m2,
        planned_jobs,
        planned_investment_eur,
        candidate_ags,
        municipality_unmapped,
        _period
    from district

    union all

    select
        'irl',
        {{ clean_ref('project_id') }},
        received_on,
        company_name,
        register_id,
        register_court,
        partner_refs,
        status,
        status_on,
        false,
        lost_reason,
        lost_reason_unmapped,
        cluster_code,
        cluster_unmapped,
        origin_country,
        origin_country_unmapped,
        project_type,
        project_type_unmapped,
        required_area_m2,
        planned_jobs,
        planned_investment_eur,
        candidate_ags,
        project_id in (select project_id from irl_unknown_ags),
        occurred_month
    from irl
)

select
    partner,
    record_id,
    partner || ':' || record_id as record_key,
    received_on,
    company_name,
    register_raw,
    register_court_raw,
    referenced_keys,
    status,
    status_on,
    status_on_imputed,
    lost_reason,
    lost_reason_unmapped,
    cluster_code,
    cluster_unmapped,
    origin_country,
    origin_country_unmapped,
    project_type,
    project_type_unmapped,
    cast(required_area_m2 as decimal(18, 2)) as required_area_m2,
    cast(planned_jobs as integer) as planned_jobs,
    cast(planned_investment_eur as decimal(18, 2)) as planned_investment_eur,
    candidate_ags,
    municipality_unmapped,
    last_period
from unioned
