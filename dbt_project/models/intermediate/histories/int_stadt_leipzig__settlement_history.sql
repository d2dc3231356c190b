{{ history_config('enquiry_id') }}
-- The city's settlements as a per-record history of its monthly deltas: a row for an enquiry
-- delivered before replaces the earlier row from its period on (corrections applied via the ledger).
with settlements as (
    {{ standing('stg_stadt_leipzig__settlements') | indent(4) }}
    {%- if history_is_incremental() %}
      and _s.enquiry_id in (
        select enquiry_id from {{ ref('stg_stadt_leipzig__settlements') }}
        where _load_id in (select load_id from ({{ changed_loads('stadt_leipzig') }})))
    {%- endif %}
),

one_per_period as (
    select *
    from settlements
    qualify row_number() over (
        partition by enquiry_id, _period order by _correction desc, _loaded_at desc, _row_number) = 1
)

select
    *,
    _period as valid_from,
    lead(_period) over (partition by enquiry_id order by _period) as valid_to,
    lead(_period) over (partition by enquiry_id order by _period) is null as is_current
from one_per_period
