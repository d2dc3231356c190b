{#- One row per data-quality finding: partner, month, file, line (or sheet and row), rule,
    gate check and severity. Never a row's content: only names of files, sheets, tables and
    columns, row numbers, record ids, and rule names (CATALOGUE §6).

    check_name groups rules into the gate's checks; severity `critical` blocks the month's
    extract (docs/quality.md has the table). Sources: the ingestion's load findings, the
    set-aside rows, the ledger (rejected, re-sent and late files), late IRL events, district
    drops, and the regional rules' findings (records of one project that disagree, a
    settlement whose enquiry is no longer won, ...; int_quality__regional_findings). -#}
with

loads as (
    select * from {{ ref('int_quality__loads') }}
),

load_findings as (
    select * from {{ ref('stg_quality__load_findings') }}
),

set_aside as (
    select * from {{ ref('stg_quality__set_aside_rows') }}
),

late_events as (
    select * from {{ ref('int_quality__late_events') }}
),

workbook_drops as (
    select * from {{ ref('int_quality__workbook_drops') }}
),

regional_findings as (
    select * from {{ ref('int_quality__regional_findings') }}
),

value_findings as (
    select
        load_findings.partner,
        loads.month,
        load_findings.source_file as file_name,
        load_findings.sheet,
        load_findings.row_number,
        load_findings.table_name,
        load_findings.column_name,
        null::varchar as record_id,
        case
            when load_findings.rule like 'unparsed%' then 'unparsed_value'
            when load_findings.rule like 'unmapped%' then 'unmapped_value'
            when load_findings.rule in ('added_column', 'dropped_optional_column')
                then 'column_drift'
            else 'load_finding'
        end as check_name,
        load_findings.rule,
        'warning' as severity,
        load_findings.load_id
    from load_findings
    inner join loads on loads.load_id = load_findings.load_id
    where loads.is_standing
        -- a re-sent old file is reported once, from the ledger (resent_files below)
        and load_findings.rule <> 'resent_file'
),

set_aside_findings as (
    select
        set_aside.partner,
        loads.month,
        set_aside.source_file,
        set_aside.sheet,
        set_aside.row_number,
        set_aside.table_name,
        null::varchar,
        null::varchar,
        'set_aside',
        set_aside.reason,
        'warning',
        set_aside.load_id
    from set_aside
    inner join loads on loads.load_id = set_aside.load_id
    where loads.is_standing
),

schema_drift as (
    -- a load stopped by a change of columns blocks its month unless a later file of the
    -- same partner, kind and period loaded and stands
    select
        rejected.partner,
        rejected.month,
        rejected.file_name,
        null::varchar,
        null::integer,
        null::varchar,
        null::varchar,
        null::varchar,
        'schema_drift',
        case when replaced.load_id is null then 'load_rejected_schema'
            else 'load_rejected_schema_replaced' end,
        case when replaced.load_id is null then 'critical' else 'warning' end,
        rejected.load_id
    from loads as rejected
    left join loads as replaced
        on replaced.partner = rejected.partner
        and replaced.kind = rejected.kind
        and replaced.period_key = rejected.period_key
        and replaced.is_standing
        and replaced.delivered_at > rejected.delivered_at
    where rejected.status = 'rejected_schema'
    qualify row_number() over (partition by rejected.load_id order by replaced.delivered_at) = 1
),

resent_files as (
    -- a file whose bytes equal a file of another period, and that has rows (partners/README,
    -- "The inbox"; an empty or header-only copy is that period's empty delivery)
    select
        partner, month, file_name, null::varchar, null::integer, null::varchar, null::varchar,
        null::varchar, 'resent_file', 'same_bytes_as_other_period', 'warning', load_id
    from loads
    where resent_of is not null and rows_read > 0 and status = 'loaded'
),

late_deliveries as (
    select
        partner, month, file_name, null::varchar, null::integer, null::varchar, null::varchar,
        null::varchar, 'late_delivery', 'delivered_after_deadline', 'warning', load_id
    from loads
    where is_late
),

late_event_findings as (
    select
        partner, month, source_file, null::varchar, row_number, table_name, 'occurred_at',
        null::varchar, 'late_event', 'event_more_than_60_days_late', 'warning', load_id
    from late_events
),

drops as (
    select
        partner, month, file_name, null::varchar, null::integer, table_name,
        null::varchar, null::varchar,
        'district_drop',
        case table_name when 'settlements' then 'settlement_dropped'
            else 'records_dropped_over_5_percent' end,
        'critical',
        load_id
    from workbook_drops
    where exceeds_threshold
),

record_findings as (
    select
        partner, month, file_name, sheet, row_number, table_name, null::varchar, record_id,
        check_name, rule, severity, load_id
    from regional_findings
),

findings as (
    select * from value_findings
    union all select * from set_aside_findings
    union all select * from schema_drift
    union all select * from resent_files
    union all select * from late_deliveries
    union all select * from late_event_findings
    union all select * from drops
    union all select * from record_findings
)

select
    md5(concat_ws('|', check_name, rule, load_id, table_name, sheet, row_number::varchar,
        column_name, partner, month::varchar, record_id)) as finding_id,
    partner,
    month,
    file_name,
    sheet,
    row_number as line,
    table_name,
    column_name,
    record_id,
    check_name,
    rule,
    severity,
    load_id
from findings
