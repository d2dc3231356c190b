{{ staging_incremental_config() }}
-- The city's enquiry rows (monthly deltas): typed, renamed, codes mapped.
-- Contact and free-text columns (Ansprechpartner, E_Mail, Telefon, Bemerkung) are not selected.
with enquiries as (
    {{ raw_rows(source('raw_stadt_leipzig', 'enquiries'), [
        'enquiry_id', 'received_on', 'company_name', 'register_number', 'register_court',
        'origin_country_label', 'wz_code', 'project_type_label', 'required_area_m2', 'planned_jobs',
        'planned_investment_eur', 'status_label', 'status_on', 'lost_reason_label', 'irl_project_ref']) }}
),

mapped as (
    select
        trim(enquiry_id) as enquiry_id,
        cast(received_on as date) as received_on,
        nullif(trim(company_name), '') as company_name,
        nullif(trim(register_number), '') as register_number,
        nullif(trim(register_court), '') as register_court,
        origin_country_label,
        {{ lookup_label('origin_country_label', 'countries', 'name_de', 'iso2', codes_map_to_self=true) }} as origin_country,
        nullif(trim(wz_code), '') as wz_code,
        {{ wz_cluster('wz_code') }} as cluster_code,
        {{ wz_unmapped('wz_code') }} as cluster_unmapped,
        project_type_label,
        {{ lookup_label('project_type_label', 'project_types', 'label', 'project_type', codes_map_to_self=true) }} as project_type,
        {{ to_decimal('required_area_m2') }} as required_area_m2,
        try_cast(planned_jobs as integer) as planned_jobs,
        {{ to_decimal('planned_investment_eur') }} as planned_investment_eur,
        status_label,
        {{ lookup_label('status_label', 'statuses', 'source_status', 'status', filter="_lk.partner = 'stadt_leipzig'", codes_map_to_self=true) }} as status,
        cast(status_on as date) as status_on,
        lost_reason_label,
        {{ lookup_label('lost_reason_label', 'lost_reasons', 'label', 'lost_reason', codes_map_to_self=true) }} as lost_reason_mapped,
        {{ clean_ref('irl_project_ref') }} as irl_project_ref,
        _load_id, _source_file, _row_number, _period, _loaded_at
    from enquiries
)

select
    enquiry_id,
    received_on,
    company_name,
    register_number,
    register_court,
    origin_country,
    {{ is_unmapped('origin_country_label', 'origin_country') }} as origin_country_unmapped,
    wz_code,
    cluster_code,
    cluster_unmapped,
    project_type,
    {{ is_unmapped('project_type_label', 'project_type') }} as project_type_unmapped,
    required_area_m2,
    planned_jobs,
    planned_investment_eur,
    status,
    {{ is_unmapped('status_label', 'status') }} as status_unmapped,
    status_on,
    case when {{ normalise_label('lost_reason_label') }} is not null
         then coalesce(lost_reason_mapped, '{{ var("unmapped_lost_reason") }}') end as lost_reason,
    {{ is_unmapped('lost_reason_label', 'lost_reason_mapped') }} as lost_reason_unmapped,
    irl_project_ref,
    _load_id, _source_file, _row_number, _period, _loaded_at
from mapped
