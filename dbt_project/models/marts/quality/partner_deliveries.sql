{#- CATALOGUE §4 `partner_deliveries`: partner × month of the range. The months are the land
    and deliveries range of int_reporting_months (CATALOGUE §0: from the first period any partner
    delivered to the latest reporting period any partner delivered, a file whose load a change of
    columns stopped included), the same months as kpi_land_monthly and dim_sites; the partners
    and the kinds of file each sends come from partners/*.yml. -#}
with

loads as (
    select * from {{ ref('int_quality__loads') }}
),

partner_kinds as (
    select * from {{ ref('int_quality__partner_kinds') }}
),

months as (
    select month from {{ ref('int_reporting_months') }}
    where in_land_range
),

partners as (
    select distinct partner from partner_kinds
),

standing as (
    select * from loads where is_standing
),

kinds_delivered as (
    select
        partner_kinds.partner,
        months.month,
        count(distinct partner_kinds.kind) as kinds_expected,
        count(distinct standing.kind) as kinds_delivered
    from partner_kinds
    cross join months
    left join standing
        on standing.partner = partner_kinds.partner
        and standing.kind = partner_kinds.kind
        and standing.month = months.month
    group by all
),

files as (
    select
        partner,
        month,
        count(*) as files,
        sum(rows_loaded) as rows_loaded,
        sum(rows_quarantined) as rows_rejected,
        max(delivered_at) as last_delivery_at
    from standing
    group by all
)

select
    partners.partner::varchar as partner,
    months.month::date as month,
    coalesce(kinds_delivered.kinds_delivered = kinds_delivered.kinds_expected, false)
        as delivered,
    coalesce(files.files, 0)::integer as files,
    coalesce(files.rows_loaded, 0)::bigint as rows_loaded,
    coalesce(files.rows_rejected, 0)::bigint as rows_rejected,
    files.last_delivery_at::timestamptz as last_delivery_at
from partners
cross join months
left join kinds_delivered
    on kinds_delivered.partner = partners.partner
    and kinds_delivered.month = months.month
left join files
    on files.partner = partners.partner
    and files.month = months.month
