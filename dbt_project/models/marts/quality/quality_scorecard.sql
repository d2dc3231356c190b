{#- Data-quality scorecard: one row per partner and month of `partner_deliveries`.

    completeness: rows loaded / rows read of the files that stand (set-aside rows are the
    rest); validity: share of loaded rows without an unparsed value; unmapped_values: values
    that did not map through a code list; timeliness: when the month's original files
    arrived against the deadline (n-th working day in Saxony of the following month). -#}
with

deliveries as (
    select * from {{ ref('partner_deliveries') }}
),

loads as (
    select * from {{ ref('int_quality__loads') }}
),

findings as (
    select * from {{ ref('quality_findings') }}
),

deadlines as (
    select * from {{ ref('int_quality__delivery_deadlines') }}
),

read_counts as (
    select partner, month, sum(rows_read) as rows_read
    from loads
    where is_standing
    group by all
),

-- the first arrival of each original file (correction 0) of the month; corrections do not
-- make a delivery late
arrivals as (
    select partner, month, kind, period_key, min(delivered_at) as first_delivered_at
    from loads
    where correction = 0 and status <> 'duplicate'
    group by all
),

timeliness as (
    select partner, month, max(first_delivered_at) as delivered_by
    from arrivals
    group by all
),

finding_counts as (
    select
        partner,
        month,
        count(distinct case when check_name = 'unparsed_value'
            then load_id || ':' || coalesce(sheet, '') || ':' || line end) as rows_with_unparsed_values,
        count(*) filter (where check_name = 'unparsed_value') as unparsed_values,
        count(*) filter (where check_name = 'unmapped_value') as unmapped_values,
        count(*) filter (where check_name = 'late_event') as late_events,
        count(*) filter (where severity = 'warning') as warnings,
        count(*) filter (where severity = 'critical') as critical_findings
    from findings
    group by all
)

select
    deliveries.partner,
    deliveries.month,
    deliveries.delivered,
    deliveries.files,
    coalesce(read_counts.rows_read, 0)::bigint as rows_read,
    deliveries.rows_loaded,
    deliveries.rows_rejected as rows_quarantined,
    case when coalesce(read_counts.rows_read, 0) > 0
        then round(deliveries.rows_loaded / read_counts.rows_read, 4) end as completeness,
    case when deliveries.rows_loaded > 0
        then round(1 - coalesce(finding_counts.rows_with_unparsed_values, 0)
            / deliveries.rows_loaded, 4) end as validity,
    coalesce(finding_counts.unparsed_values, 0)::bigint as unparsed_values,
    coalesce(finding_counts.unmapped_values, 0)::bigint as unmapped_values,
    coalesce(finding_counts.late_events, 0)::bigint as late_events,
    deadlines.deadline_on,
    timeliness.delivered_by,
    case when timeliness.delivered_by is not null
        then (timeliness.delivered_by at time zone 'Europe/Berlin')::date <= deadlines.deadline_on
    end as on_time,
    coalesce(finding_counts.warnings, 0)::bigint as warnings,
    coalesce(finding_counts.critical_findings, 0)::bigint as critical_findings
from deliveries
left join read_counts
    on read_counts.partner = deliveries.partner and read_counts.month = deliveries.month
left join timeliness
    on timeliness.partner = deliveries.partner and timeliness.month = deliveries.month
left join finding_counts
    on finding_counts.partner = deliveries.partner and finding_counts.month = deliveries.month
left join deadlines
    on deadlines.partner = deliveries.partner and deadlines.month = deliveries.month
