{{ staging_incremental_config() }}
-- The city's settlement rows (monthly deltas). All lie in the city's AGS.
with settlements as (
    {{ raw_rows(source('raw_stadt_leipzig', 'settlements'), [
        'enquiry_id', 'company_name', 'decided_on', 'city_district', 'site_id', 'jobs_new',
        'jobs_secured', 'investment_eur', 'wz_code', 'project_type_label', 'irl_project_ref']) }}
)

select
    trim(enquiry_id) as enquiry_id,
    nullif(trim(company_name), '') as company_name,
    cast(decided_on as date) as decided_on,
    nullif(trim(city_district), '') as city_district,
    '{{ var("territory_ags")["stadt_leipzig"] }}' as ags,
    {{ clean_ref('site_id') }} as site_id,
    try_cast(jobs_new as integer) as jobs_new,
    try_cast(jobs_secured as integer) as jobs_secured,
    {{ to_decimal('investment_eur') }} as investment_eur,
    nullif(trim(wz_code), '') as wz_code,
    {{ wz_cluster('wz_code') }} as cluster_code,
    {{ wz_unmapped('wz_code') }} as cluster_unmapped,
    {{ lookup_label('project_type_label', 'project_types', 'label', 'project_type', codes_map_to_self=true) }} as project_type,
    {{ is_unmapped('project_type_label', lookup_label('project_type_label', 'project_types', 'label', 'project_type', codes_map_to_self=true)) }} as project_type_unmapped,
    {{ clean_ref('irl_project_ref') }} as irl_project_ref,
    _load_id, _source_file, _row_number, _period, _loaded_at
from settlements
