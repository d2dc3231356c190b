-- Which periods (months) each partner delivered, per kind of file: the loads that stand (not
-- superseded, not duplicates, not rejected). IRL's daily files count for the month of their date.
-- delivered_at: when the latest standing file of that partner, kind and month arrived.
with ledger as (
    select * from {{ source('meta', 'load_ledger') }}
    where status = 'loaded' and superseded_by is null
)

select
    partner,
    kind,
    cast(date_trunc('month', cast(period as date)) as date) as period,
    max(delivered_at) as delivered_at
from ledger
group by all
