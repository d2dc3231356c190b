{#- One row per site and month of the land range in which the site is in its agency's snapshot
    or the stand-in (CATALOGUE §3; int_site_month_states). Sites whose municipality did not map
    are set aside. Each site's hectares are rounded here, once (four decimals, half away from
    zero); kpi_land_monthly sums the unrounded values, not these. -#}
select
    month::date as month,
    site_id::varchar as site_id,
    partner::varchar as partner,
    ags::varchar as ags,
    name::varchar as name,
    zoning::varchar as zoning,
    {{ round_half_away('area_ha', 4) }} as area_ha,
    {{ round_half_away('free_area_ha', 4) }} as free_area_ha,
    status::varchar as status,
    {{ round_half_away('price_eur_m2', 2) }} as price_eur_m2,
    motorway_km::double as motorway_km,
    rail::boolean as rail,
    snapshot_month::date as snapshot_month
from {{ ref('int_site_month_states') }}
