{{ staging_incremental_config() }}
-- The district's enquiry rows (sheet `Anfragen`, monthly full snapshots):
-- typed, hectares → m², T€ → €, codes and municipality names mapped. `Kontakt` and `Notiz` are not
-- selected.
with enquiries as (
    {{ raw_rows(source('raw_lk_leipzig', 'enquiries'), [
        'enquiry_id', 'received_on', 'company_name', 'register_entry', 'origin_country_label',
        'sector_label', 'municipality_names', 'required_area_ha', 'planned_jobs',
        'planned_investment_teur', 'status_label', 'status_on', 'lost_reason_label',
        'irl_project_ref']) }}
),

-- the register repeats its rows every month: each distinct `Gemeinde(n)` cell is mapped once
municipality_cells as (
    select distinct municipality_names
    from enquiries
    where municipality_names is not null
)
{{ municipality_list_ctes('municipality_cells', ['municipality_names'], 'municipality_names') }},

mapped as (
    select
        e.*,
        {{ lookup_label('e.origin_country_label', 'countries', 'name_de', 'iso2', codes_map_to_self=true) }} as origin_country,
        {{ lookup_label('e.sector_label', 'branche_cluster', 'branche', 'cluster_code', codes_map_to_self=true) }} as cluster_code,
        {{ lookup_label('e.status_label', 'statuses', 'source_status', 'status', filter="_lk.partner = 'lk_leipzig'", codes_map_to_self=true) }} as status,
        {{ lookup_label('e.lost_reason_label', 'lost_reasons', 'label', 'lost_reason', codes_map_to_self=true) }} as lost_reason_mapped,
        m.candidate_ags,
        m.municipality_unmapped
    from enquiries as e
    left join municipality_cells_municipalities as m
        on m.municipality_names = e.municipality_names
)

select
    trim(enquiry_id) as enquiry_id,
    cast(received_on as date) as received_on,
    nullif(trim(company_name), '') as company_name,
    nullif(trim(register_entry), '') as register_entry,
    origin_country,
    {{ is_unmapped('origin_country_label', 'origin_country') }} as origin_country_unmapped,
    cluster_code,
    {{ is_unmapped('sector_label', 'cluster_code') }} as cluster_unmapped,
    cast(null as varchar) as project_type,
    false as project_type_unmapped,
    {{ ha_to_m2('required_area_ha') }} as required_area_m2,
    try_cast(planned_jobs as integer) as planned_jobs,
    {{ teur_to_eur('planned_investment_teur') }} as planned_investment_eur,
    coalesce(candidate_ags, []::varchar[]) as candidate_ags,
    coalesce(municipality_unmapped, false) as municipality_unmapped,
    status,
    {{ is_unmapped('status_label', 'status') }} as status_unmapped,
    cast(status_on as date) as status_on,
    case when {{ normalise_label('lost_reason_label') }} is not null
         then coalesce(lost_reason_mapped, '{{ var("unmapped_lost_reason") }}') end as lost_reason,
    {{ is_unmapped('lost_reason_label', 'lost_reason_mapped') }} as lost_reason_unmapped,
    {{ clean_ref('irl_project_ref') }} as irl_project_ref,
    _load_id, _source_file, _row_number, _period, _loaded_at
from mapped
