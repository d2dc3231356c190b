-- One row per site per delivered snapshot month of its agency (docs/record_layer.md): the sites of
-- that month's snapshot, and sites whose row was set aside in it with their state from the latest
-- snapshot where they loaded. Withdrawn sites (missing from a later snapshot) are not in it.
with ledger as (
    select * from {{ ref('stg_meta__load_ledger') }}
    where is_standing
),

snapshots as (
    select distinct partner, period as snapshot_month
    from ledger
    where (partner = 'stadt_leipzig' and kind = 'sites')
       or (partner = 'lk_leipzig' and kind = 'workbook')
),

city as (
    select 'stadt_leipzig' as partner, * from {{ ref('int_stadt_leipzig__site_history') }}
),

district as (
    select 'lk_leipzig' as partner, * from {{ ref('int_lk_leipzig__site_history') }}
),

history as (
    select partner, site_id, ags, ags_unmapped, site_name, zoning, area_ha, free_area_ha, status,
           price_eur_m2, motorway_km, rail, valid_from, valid_to
    from city
    union all
    select partner, site_id, ags, ags_unmapped, site_name, zoning, area_ha, free_area_ha, status,
           price_eur_m2, motorway_km, rail, valid_from, valid_to
    from district
)

select
    s.partner,
    s.snapshot_month,
    h.site_id,
    h.ags,
    h.ags_unmapped,
    h.site_name as name,
    h.zoning,
    cast(h.area_ha as decimal(18, 8)) as area_ha,
    cast(h.free_area_ha as decimal(18, 8)) as free_area_ha,
    h.status,
    h.price_eur_m2,
    h.motorway_km,
    h.rail
from snapshots as s
inner join history as h
    on h.partner = s.partner
   and h.valid_from <= s.snapshot_month
   and (h.valid_to is null or h.valid_to > s.snapshot_month)
