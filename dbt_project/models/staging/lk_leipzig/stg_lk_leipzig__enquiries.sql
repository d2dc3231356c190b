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

-- and each distinct combination of code labels is looked up once
labels as (
    select distinct origin_country_label, sector_label, status_label, lost_reason_label
    from enquiries
),

label_codes as (
    select
        *,
        {{ lookup_label('origin_country_label', 'countries', 'name_de', 'iso2', codes_map_to_self=true) }} as origin_country,
        {{ lookup_label('sector_label', 'branche_cluster', 'branche', 'cluster_code', codes_map_to_self=true) }} as cluster_code,
        {{ lookup_label('status_label', 'statuses', 'source_status', 'status', filter="_lk.partner = 'lk_leipzig'", codes_map_to_self=true) }} as status,
        {{ lookup_label('lost_reason_label', 'lost_reasons', 'label', 'lost_reason', codes_map_to_self=true) }} as lost_reason_mapped
    from labels
),

label_codes_flagged as (
    select
        origin_country_label,
        sector_label,
        status_label,
        lost_reason_label,
        origin_country,
        {{ is_unmapped('origin_country_label', 'origin_country') }} as origin_country_unmapped,
        cluster_code,
        {{ is_unmapped('sector_label', 'cluster_code') }} as cluster_unmapped,
        status,
        {{ is_unmapped('status_label', 'status') }} as status_unmapped,
        case when {{ normalise_label('lost_reason_label') }} is not null
             then coalesce(lost_reason_mapped, '{{ var("unmapped_lost_reason") }}') end as lost_reason,
        {{ is_unmapped('lost_reason_label', 'lost_reason_mapped') }} as lost_reason_unmapped
    from label_codes
)

select
    trim(e.enquiry_id) as enquiry_id,
    cast(e.received_on as date) as received_on,
    nullif(trim(e.company_name), '') as company_name,
    nullif(trim(e.register_entry), '') as register_entry,
    l.origin_country,
    l.origin_country_unmapped,
    l.cluster_code,
    l.cluster_unmapped,
    cast(null as varchar) as project_type,
    false as project_type_unmapped,
    {{ ha_to_m2('e.required_area_ha') }} as required_area_m2,
    try_cast(e.planned_jobs as integer) as planned_jobs,
    {{ teur_to_eur('e.planned_investment_teur') }} as planned_investment_eur,
    coalesce(m.candidate_ags, []::varchar[]) as candidate_ags,
    coalesce(m.municipality_unmapped, false) as municipality_unmapped,
    l.status,
    l.status_unmapped,
    cast(e.status_on as date) as status_on,
    l.lost_reason,
    l.lost_reason_unmapped,
    {{ clean_ref('e.irl_project_ref') }} as irl_project_ref,
    e._load_id, e._source_file, e._row_number, e._period, e._loaded_at
from enquiries as e
inner join label_codes_flagged as l
    on e.origin_country_label is not distinct from l.origin_country_label
    and e.sector_label is not distinct from l.sector_label
    and e.status_label is not distinct from l.status_label
    and e.lost_reason_label is not distinct from l.lost_reason_label
left join municipality_cells_municipalities as m
    on m.municipality_names = e.municipality_names
