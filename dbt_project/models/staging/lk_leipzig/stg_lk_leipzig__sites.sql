{{ staging_incremental_config() }}
-- The district's commercial sites (sheet `Flaechen`, monthly full snapshots) of the loads that
-- stand: municipality name → AGS, zoning (`GE/GI` → `GI`) and status mapped. Hectares keep
-- their precision (rounded once, in the marts).
with sites as (
    {{ raw_rows(source('raw_lk_leipzig', 'sites'), [
        'site_id', 'site_name', 'municipality_name', 'gross_area_ha', 'free_area_ha', 'zoning_label',
        'planning_status_label', 'ownership_label', 'price_eur_m2', 'status_label', 'motorway_km',
        'rail', 'easting_m', 'northing_m']) }}
),

mapped as (
    select
        *,
        {{ municipality_ags('municipality_name') }} as ags,
        {{ lookup_label('zoning_label', 'zonings', 'label', 'zoning') }} as zoning,
        {{ lookup_label('status_label', 'site_statuses', 'label', 'status') }} as status
    from sites
)

select
    {{ clean_ref('site_id') }} as site_id,
    nullif(trim(site_name), '') as site_name,
    ags,
    {{ is_unmapped('municipality_name', 'ags') }} as ags_unmapped,
    {{ to_decimal('gross_area_ha', 8) }} as area_ha,
    {{ to_decimal('free_area_ha', 8) }} as free_area_ha,
    zoning,
    {{ is_unmapped('zoning_label', 'zoning') }} as zoning_unmapped,
    nullif(trim(planning_status_label), '') as planning_status_label,
    nullif(trim(ownership_label), '') as ownership_label,
    {{ to_decimal('price_eur_m2') }} as price_eur_m2,
    status,
    {{ is_unmapped('status_label', 'status') }} as status_unmapped,
    {{ to_decimal('motorway_km') }} as motorway_km,
    try_cast(rail as boolean) as rail,
    {{ to_decimal('easting_m') }} as easting_m,
    {{ to_decimal('northing_m') }} as northing_m,
    _load_id, _source_file, _row_number, _period, _loaded_at
from mapped
