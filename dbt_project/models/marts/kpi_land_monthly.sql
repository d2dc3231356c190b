{#- Month × AGS × zoning with at least one available site: status available and free area known
    and above zero (CATALOGUE §3). The free hectares are summed at full precision and rounded
    once, at the end (CATALOGUE §4), so from int_site_month_states, not from dim_sites' rounded
    hectares. `snapshot_month` is the snapshot the month's figures come from (earliest one,
    should agencies ever share an AGS). -#}
select
    month::date as month,
    ags::varchar as ags,
    zoning::varchar as zoning,
    count(*)::integer as sites_available,
    {{ round_half_away('sum(free_area_ha)', 4) }} as free_area_ha,
    min(snapshot_month)::date as snapshot_month
from {{ ref('int_site_month_states') }}
where status = 'available' and free_area_ha > 0
group by month, ags, zoning
