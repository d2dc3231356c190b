{{ staging_incremental_config() }}
-- The city's enquiry rows (monthly deltas): typed, renamed, codes mapped.
-- Contact and free-text columns (Ansprechpartner, E_Mail, Telefon, Bemerkung) are not selected.
with enquiries as (
    {{ raw_rows(source('raw_stadt_leipzig', 'enquiries'), [
        'enquiry_id', 'received_on', 'company_name', 'register_number', 'register_court',
        'origin_country_label', 'wz_code', 'project_type_label', 'required_area_m2', 'planned_jobs',
        'planned_investment_eur', 'status_label', 'status_on', 'lost_reason_label', 'irl_project_ref']) }}
),

-- deliveries repeat few code labels: each distinct combination is looked up once
labels as (
    select distinct origin_country_label, wz_code, project_type_label, status_label, lost_reason_label
    from enquiries
),

label_codes as (
    select
        *,
        {{ lookup_label('origin_country_label', 'countries', 'name_de', 'iso2', codes_map_to_self=true) }} as origin_country,
        {{ wz_cluster('wz_code') }} as cluster_code,
        {{ wz_unmapped('wz_code') }} as cluster_unmapped,
        {{ lookup_label('project_type_label', 'project_types', 'label', 'project_type', codes_map_to_self=true) }} as project_type,
        {{ lookup_label('status_label', 'statuses', 'source_status', 'status', filter="_lk.partner = 'stadt_leipzig'", codes_map_to_self=true) }} as status,
        {{ lookup_label('lost_reason_label', 'lost_reasons', 'label', 'lost_reason', codes_map_to_self=true) }} as lost_reason_mapped
    from labels
),

label_codes_flagged as (
    select
        origin_country_label,
        wz_code,
        project_type_label,
        status_label,
        lost_reason_label,
        origin_country,
        {{ is_unmapped('origin_country_label', 'origin_country') }} as origin_country_unmapped,
        cluster_code,
        cluster_unmapped,
        project_type,
        {{ is_unmapped('project_type_label', 'project_type') }} as project_type_unmapped,
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
    nullif(trim(e.register_number), '') as register_number,
    nullif(trim(e.register_court), '') as register_court,
    l.origin_country,
    l.origin_country_unmapped,
    nullif(trim(e.wz_code), '') as wz_code,
    l.cluster_code,
    l.cluster_unmapped,
    l.project_type,
    l.project_type_unmapped,
    {{ to_decimal('e.required_area_m2') }} as required_area_m2,
    try_cast(e.planned_jobs as integer) as planned_jobs,
    {{ to_decimal('e.planned_investment_eur') }} as planned_investment_eur,
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
    and e.wz_code is not distinct from l.wz_code
    and e.project_type_label is not distinct from l.project_type_label
    and e.status_label is not distinct from l.status_label
    and e.lost_reason_label is not distinct from l.lost_reason_label
