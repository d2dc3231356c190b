{#- One row per site and month of the land range in which the site is in its agency's snapshot
    or the stand-in (CATALOGUE §3). Sites whose municipality did not map are set aside. -#}
with

site_months as (
    select partner, month, snapshot_month
    from {{ ref('int_site_months') }}
    where snapshot_month is not null
),

snapshots as (
    select * from {{ ref('int_site_snapshots') }}
)

select
    m.month::date as month,
    s.site_id::varchar as site_id,
    s.partner::varchar as partner,
    s.ags::varchar as ags,
    s.name::varchar as name,
    s.zoning::varchar as zoning,
    {{ round_half_away('s.area_ha', 4) }} as area_ha,
    {{ round_half_away('s.free_area_ha', 4) }} as free_area_ha,
    s.status::varchar as status,
    {{ round_half_away('s.price_eur_m2', 2) }} as price_eur_m2,
    s.motorway_km::double as motorway_km,
    s.rail::boolean as rail,
    m.snapshot_month::date as snapshot_month
from site_months as m
inner join snapshots as s
    on s.partner = m.partner
    and s.snapshot_month = m.snapshot_month
where s.ags is not null
