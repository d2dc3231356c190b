{{ staging_incremental_config() }}
-- The city's commercial sites (monthly full snapshots); m² → ha, unrounded (rounded once, in
-- the marts).
with sites as (
    {{ raw_rows(source('raw_stadt_leipzig', 'sites'), [
        'site_id', 'site_name', 'city_district', 'gross_area_m2', 'free_area_m2', 'zoning_label',
        'planning_status_label', 'ownership_label', 'price_eur_m2', 'status_label', 'motorway_km',
        'rail', 'changed_on']) }}
)

select
    {{ clean_ref('site_id') }} as site_id,
    nullif(trim(site_name), '') as site_name,
    nullif(trim(city_district), '') as city_district,
    '{{ var("territory_ags")["stadt_leipzig"] }}' as ags,
    false as ags_unmapped,
    {{ m2_to_ha('gross_area_m2') }} as area_ha,
    {{ m2_to_ha('free_area_m2') }} as free_area_ha,
    {{ lookup_label('zoning_label', 'zonings', 'label', 'zoning') }} as zoning,
    {{ is_unmapped('zoning_label', lookup_label('zoning_label', 'zonings', 'label', 'zoning')) }} as zoning_unmapped,
    nullif(trim(planning_status_label), '') as planning_status_label,
    nullif(trim(ownership_label), '') as ownership_label,
    {{ to_decimal('price_eur_m2') }} as price_eur_m2,
    {{ lookup_label('status_label', 'site_statuses', 'label', 'status') }} as status,
    {{ is_unmapped('status_label', lookup_label('status_label', 'site_statuses', 'label', 'status')) }} as status_unmapped,
    {{ to_decimal('motorway_km') }} as motorway_km,
    try_cast(rail as boolean) as rail,
    cast(changed_on as date) as changed_on,
    _load_id, _source_file, _row_number, _period, _loaded_at
from sites
