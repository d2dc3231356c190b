{#-
  One row per record (CATALOGUE §1): every current enquiry record, and every standing settlement
  row whose enquiry was never delivered or has been deleted (a record of its own, received on its
  decision date). A record is dated by its enquiry's received date.
  `record_rank` orders all records by received date, partner order (irl, stadt_leipzig,
  lk_leipzig), record id: the earliest record of a group names the regional project.
-#}
with

enquiries as (
    select * from {{ ref('int_enquiry_records') }}
),

settlements as (
    select
        record_key,
        min(partner) as partner,
        min(record_id) as record_id,
        min(decided_on) as decided_on,
        count(*) as settlement_rows
    from {{ ref('int_settlement_records') }}
    group by record_key
),

records as (
    select
        coalesce(e.partner, s.partner) as partner,
        coalesce(e.record_id, s.record_id) as record_id,
        coalesce(e.record_key, s.record_key) as record_key,
        coalesce(e.received_on, s.decided_on) as received_on,
        e.record_key is not null as has_enquiry,
        s.record_key is not null as has_settlement,
        coalesce(s.settlement_rows, 0)::integer as settlement_rows,
        coalesce(
            nullif(trim(e.register_raw), '') is not null
            and not {{ register_entry_parses('e.register_raw') }},
            false
        ) as register_unparsed
    from enquiries as e
    full outer join settlements as s on e.record_key = s.record_key
)

select
    partner,
    record_id,
    record_key,
    received_on,
    has_enquiry,
    has_settlement,
    settlement_rows,
    register_unparsed,
    {{ partner_rank('partner') }} as partner_rank,
    row_number() over (
        order by received_on, {{ partner_rank('partner') }}, partner, record_id
    )::integer as record_rank
from records
