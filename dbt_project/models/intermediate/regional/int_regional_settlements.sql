{#-
  Every standing settlement record with its regional project, and which one is the project's
  regional settlement (CATALOGUE §2): the territorial record (city or district) where there is
  one, the earliest decided (ties: the city's, then record id); without one, the earliest decided
  IRL `project.won` (ties: record id). `settlement_rank` > 1 marks the other records of a project
  (a data-quality finding where several are territorial). A regional settlement whose municipality
  did not map is set aside from `fct_settlements` (`is_set_aside`); the project stays won.
-#}
with

settlement_records as (
    select * from {{ ref('int_settlement_records') }}
),

groups as (
    select record_key, project_id from {{ ref('int_regional_record_groups') }}
),

ranked as (
    select
        g.project_id,
        s.partner,
        s.record_id,
        s.record_key,
        s.decided_on,
        s.ags,
        coalesce(s.ags_unmapped, s.ags is null) as ags_unmapped,
        s.jobs_new,
        s.jobs_secured,
        s.investment_eur,
        s.site_id,
        s.is_territorial,
        row_number() over (
            partition by g.project_id
            order by
                case when s.is_territorial then 0 else 1 end,
                s.decided_on,
                case s.partner when 'stadt_leipzig' then 0 else 1 end,
                {{ partner_rank('s.partner') }},
                s.partner,
                s.record_id,
                s.site_id nulls last,
                s.ags nulls last
        )::integer as settlement_rank
    from settlement_records as s
    inner join groups as g on s.record_key = g.record_key
)

select
    *,
    settlement_rank = 1 as is_regional,
    settlement_rank = 1 and ags is null as is_set_aside
from ranked
