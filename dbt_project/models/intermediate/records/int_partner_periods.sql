-- Which periods (months) each partner delivered, per kind of file: the loads that stand (not
-- superseded, not duplicates, not rejected). IRL's daily files count for the month of their date.
-- delivered_at: when the latest standing file of that partner, kind and month arrived.
with ledger as (
    select * from {{ ref('stg_meta__load_ledger') }}
    where is_standing
)

select
    partner,
    kind,
    period_month as period,
    max(delivered_at) as delivered_at
from ledger
group by all
