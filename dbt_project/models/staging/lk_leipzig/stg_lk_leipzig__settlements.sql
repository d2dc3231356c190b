{{ staging_incremental_config() }}
-- The district's settlement rows (sheet `Ansiedlungen`, monthly full snapshots) of the loads that
-- stand: T€ → €, municipality name → AGS, `Branche` → cluster.
with settlements as (
    {{ raw_rows(source('raw_lk_leipzig', 'settlements'), [
        'enquiry_id', 'company_name', 'municipality_name', 'decided_on', 'jobs_new', 'jobs_secured',
        'investment_teur', 'sector_label', 'irl_project_ref', 'site_id']) }}
),

mapped as (
    select
        *,
        {{ municipality_ags('municipality_name') }} as ags,
        {{ lookup_label('sector_label', 'branche_cluster', 'branche', 'cluster_code', codes_map_to_self=true) }} as cluster_code
    from settlements
)

select
    trim(enquiry_id) as enquiry_id,
    nullif(trim(company_name), '') as company_name,
    cast(decided_on as date) as decided_on,
    ags,
    {{ is_unmapped('municipality_name', 'ags') }} as ags_unmapped,
    try_cast(jobs_new as integer) as jobs_new,
    try_cast(jobs_secured as integer) as jobs_secured,
    {{ teur_to_eur('investment_teur') }} as investment_eur,
    cluster_code,
    {{ is_unmapped('sector_label', 'cluster_code') }} as cluster_unmapped,
    cast(null as varchar) as project_type,
    {{ clean_ref('irl_project_ref') }} as irl_project_ref,
    {{ clean_ref('site_id') }} as site_id,
    _load_id, _source_file, _row_number, _period, _loaded_at
from mapped
