{#- Which kinds of file each partner sends, and its delivery deadline in working days, as the
    contracts declare them (partners/*.yml → meta.partner_kinds, written by the ingestion): a
    new partner's contract adds its rows, and `partner_deliveries` gets its months. A partner or
    kind in the ledger that no contract declares (a contract removed, say) still gets its
    months, with the default deadline of 5 working days. -#}
with

declared as (
    select * from {{ ref('stg_meta__partner_kinds') }}
),

ledger as (
    select * from {{ ref('stg_meta__load_ledger') }}
),

undeclared as (
    select distinct ledger.partner, ledger.kind
    from ledger
    left join declared
        on declared.partner = ledger.partner
        and declared.kind = ledger.kind
    where declared.partner is null
)

select
    partner,
    kind,
    cast(deadline_working_days as bigint) as deadline_working_days,
    true as declared
from declared

union all

select
    partner,
    kind,
    cast({{ var('default_deadline_working_days', 5) }} as bigint),
    false
from undeclared
