{#- CATALOGUE §4 `partner_deliveries`: partner × month of the range. The range runs from the
    first period any partner delivered to the latest reporting period any partner delivered;
    the partners and the kinds of file each sends come from partners/*.yml. -#}
with

loads as (
    select * from {{ ref('int_quality__loads') }}
),

partner_kinds as (
    select * from {{ ref('int_quality__partner_kinds') }}
),

bounds as (
    select min(month) as first_month, max(month) as last_month
    from loads
    where status = 'loaded'
),

months as (
    select unnest(generate_series(first_month, last_month, interval 1 month))::date as month
    from bounds
    where first_month is not null
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
    partners.partner,
    months.month,
    coalesce(kinds_delivered.kinds_delivered = kinds_delivered.kinds_expected, false)
        as delivered,
    coalesce(files.files, 0)::integer as files,
    coalesce(files.rows_loaded, 0)::bigint as rows_loaded,
    coalesce(files.rows_rejected, 0)::bigint as rows_rejected,
    files.last_delivery_at
from partners
cross join months
left join kinds_delivered
    on kinds_delivered.partner = partners.partner
    and kinds_delivered.month = months.month
left join files
    on files.partner = partners.partner
    and files.month = months.month
