{#- One row per ledger entry (file or API page), with its reporting month, whether it stands,
    and whether an original delivery came after the partner's deadline. -#}
with

ledger as (
    select * from {{ ref('stg_meta__load_ledger') }}
),

deadlines as (
    select * from {{ ref('int_quality__delivery_deadlines') }}
),

loads as (
    select
        ledger.load_id,
        ledger.partner,
        ledger.kind,
        ledger.period,
        ledger.period_key,
        ledger.period_month as month,
        ledger.correction,
        ledger.file_name,
        ledger.delivered_at,
        (ledger.delivered_at at time zone 'Europe/Berlin')::date as delivered_on,
        ledger.status,
        ledger.superseded_by,
        ledger.resent_of,
        coalesce(ledger.rows_read, 0) as rows_read,
        coalesce(ledger.rows_loaded, 0) as rows_loaded,
        coalesce(ledger.rows_quarantined, 0) as rows_quarantined,
        ledger.is_standing
    from ledger
)

select
    loads.*,
    deadlines.deadline_on,
    -- only an original file (no correction, not a repeat of bytes already loaded) can be late
    (
        loads.correction = 0
        and loads.status <> 'duplicate'
        and loads.delivered_on > deadlines.deadline_on
    ) as is_late
from loads
left join deadlines
    on deadlines.partner = loads.partner
    and deadlines.month = loads.month
