{#- One row per site and month of the land range in which the site is in its agency's snapshot
    or the stand-in (CATALOGUE §3), with the snapshot's state at full precision: dim_sites rounds
    each site's hectares once, kpi_land_monthly sums these and rounds the sum once (CATALOGUE §4:
    "sums are exact and rounded once, at the end"). Sites whose municipality did not map are set
    aside. -#}
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
    m.month,
    s.site_id,
    s.partner,
    s.ags,
    s.name,
    s.zoning,
    s.area_ha,
    s.free_area_ha,
    s.status,
    s.price_eur_m2,
    s.motorway_km,
    s.rail,
    m.snapshot_month
from site_months as m
inner join snapshots as s
    on s.partner = m.partner
    and s.snapshot_month = m.snapshot_month
where s.ags is not null
