{#- Month × AGS × zoning with at least one available site: status available and free area known
    and above zero (CATALOGUE §3). `snapshot_month` is the snapshot the month's figures come
    from (earliest one, should agencies ever share an AGS). -#}
select
    month::date as month,
    ags::varchar as ags,
    zoning::varchar as zoning,
    count(*)::integer as sites_available,
    {{ round_half_away('sum(free_area_ha)', 4) }} as free_area_ha,
    min(snapshot_month)::date as snapshot_month
from {{ ref('dim_sites') }}
where status = 'available' and free_area_ha > 0
group by month, ags, zoning
