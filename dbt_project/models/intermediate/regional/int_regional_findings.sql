{#-
  Data-quality findings of the regional rules (CATALOGUE §1.1, §1.3, §2, §3, §6: all warnings),
  for the quality gate to publish beside the load findings. A finding names the partner, the
  record id (no row content), the rule and the month it belongs to:
    register_entry_unparsed        a register cell that does not parse (§1.1)      month received
    records_disagree               an open record of a project another record lost more than
                                   90 days before the range's end (§1.3)           month lost + 90 d
    several_settlement_records     a territorial settlement record that is not the regional one
                                   (§2)                                            month decided
    settlement_set_aside           the regional settlement's municipality does not map (§2)
    won_without_settlement         won for more than 60 days without a settlement record (§2)
                                                                                   month won + 60 d
    settlement_enquiry_not_won     a settlement record whose own enquiry is no longer won (§6)
                                                                                   month of the row
    stand_in_ran_out               a partner's sites count nowhere: no snapshot for more than
                                   two months (§3)                                 each such month
  Only findings that are due by the end of the reporting range are listed.
-#}
with

range_end as (
    select max(month_end) as range_end from {{ ref('int_reporting_months') }}
),

records as (
    select * from {{ ref('int_regional_records') }}
),

groups as (
    select * from {{ ref('int_regional_record_groups') }}
),

enquiries as (
    select * from {{ ref('int_enquiry_records') }}
),

settlements as (
    select * from {{ ref('int_regional_settlements') }}
),

projects as (
    select * from {{ ref('int_regional_projects') }}
),

record_states as (
    select
        g.project_id,
        g.partner,
        g.record_id,
        e.status,
        e.status_on,
        r.has_settlement
    from groups as g
    inner join records as r on g.record_key = r.record_key
    left join enquiries as e on g.record_key = e.record_key
),

register_unparsed as (
    select
        r.partner,
        date_trunc('month', r.received_on)::date as month,
        r.record_id,
        g.project_id,
        'register_entry_unparsed' as rule
    from records as r
    inner join groups as g on r.record_key = g.record_key
    where r.register_unparsed
),

-- per project, its latest loss that is more than 90 days old (one row per project, so that a
-- large group's open records are not paired with each of its lost ones)
lost_long_ago as (
    select
        l.project_id,
        max(l.status_on) as last_lost_on
    from record_states as l
    cross join range_end
    where l.status = 'lost'
        and not l.has_settlement
        and l.status_on + interval 90 day < range_end.range_end
    group by l.project_id
),

disagreeing as (
    select
        o.partner,
        date_trunc('month', l.last_lost_on + interval 91 day)::date as month,
        o.record_id,
        o.project_id,
        'records_disagree' as rule
    from record_states as o
    inner join lost_long_ago as l on l.project_id = o.project_id
    inner join projects as p on p.project_id = o.project_id
    where o.status not in ('won', 'lost')
        and not o.has_settlement
        and p.status <> 'won'
),

several_settlements as (
    select
        partner,
        date_trunc('month', decided_on)::date as month,
        record_id,
        project_id,
        'several_settlement_records' as rule
    from settlements
    where is_territorial and not is_regional
),

set_aside as (
    select
        partner,
        date_trunc('month', decided_on)::date as month,
        record_id,
        project_id,
        'settlement_set_aside' as rule
    from settlements
    where is_set_aside
),

won_without_settlement as (
    select
        first(s.partner order by s.status_on, s.partner, s.record_id) as partner,
        date_trunc('month', p.won_on + interval 61 day)::date as month,
        first(s.record_id order by s.status_on, s.partner, s.record_id) as record_id,
        p.project_id,
        'won_without_settlement' as rule
    from projects as p
    inner join record_states as s on s.project_id = p.project_id and s.status = 'won'
    cross join range_end
    where p.status = 'won'
        and not exists (select 1 from settlements as x where x.project_id = p.project_id)
        and p.won_on + interval 60 day < range_end.range_end
    group by p.project_id, p.won_on
),

settlement_not_won as (
    select
        s.partner,
        e.last_period as month,
        s.record_id,
        s.project_id,
        'settlement_enquiry_not_won' as rule
    from settlements as s
    inner join enquiries as e on e.record_key = s.record_key
    where e.status is distinct from 'won'
),

stand_in_ran_out as (
    select
        partner,
        month,
        null::varchar as record_id,
        null::varchar as project_id,
        'stand_in_ran_out' as rule
    from {{ ref('int_site_months') }}
    where stand_in_ran_out
),

findings as (
    select * from register_unparsed
    union all select * from disagreeing
    union all select * from several_settlements
    union all select * from set_aside
    union all select * from won_without_settlement
    union all select * from settlement_not_won
    union all select * from stand_in_ran_out
)

select distinct
    partner::varchar as partner,
    month::date as month,
    record_id::varchar as record_id,
    project_id::varchar as project_id,
    'regional_rules' as check_name,
    rule::varchar as rule,
    'warning' as severity
from findings
