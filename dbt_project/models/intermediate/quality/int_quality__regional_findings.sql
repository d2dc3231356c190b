{#- The regional rules' findings (int_regional_findings: CATALOGUE §1.1, §1.3, §2, §3, §6, all
    warnings) located in the partners' deliveries, so that quality_findings can name partner,
    file, sheet and row, record id and rule, never the row's content.

    A finding about a record points at the row that carries the record's current state: the
    city's row of the latest period (corrections applied), the district's row in the latest
    workbook where it loaded, IRL's event that set the project's current status (for a
    settlement record: its project.won). Findings about a settlement (several settlement
    records, a settlement set aside, a settlement whose enquiry is no longer won) point at the
    settlement row, the others at the enquiry row (or, without one, at the settlement row).
    A stand-in snapshot that ran out is about a missing delivery: it names partner and month.

    check_name: records_disagree and settlement_enquiry_not_won are gated on quality_findings
    (expectations/deliveries.yml); the other rules keep the check names of the suites that gate
    them on the regional models (expectations/harmonised.yml, marts.yml). -#}
with

findings as (
    select * from {{ ref('int_regional_findings') }}
),

city_enquiries as (
    select * from {{ ref('int_stadt_leipzig__enquiry_history') }} where is_current
),

city_settlements as (
    select * from {{ ref('int_stadt_leipzig__settlement_history') }} where is_current
),

district_enquiries as (
    select * from {{ ref('int_lk_leipzig__enquiry_history') }} where is_current
),

district_settlements as (
    select * from {{ ref('int_lk_leipzig__settlement_history') }} where is_current
),

irl_projects as (
    select * from {{ ref('int_irl__project_history') }} where is_current
),

irl_events as (
    select * from {{ ref('stg_irl__events') }}
),

partner_tables as (
    select * from {{ ref('stg_meta__partner_tables') }}
),

record_rows as (
    select
        'stadt_leipzig' as partner,
        'enquiries' as table_name,
        {{ clean_ref('enquiry_id') }} as record_id,
        _load_id as load_id,
        _source_file as source_file,
        _row_number as row_number
    from city_enquiries

    union all

    select 'stadt_leipzig', 'settlements', {{ clean_ref('enquiry_id') }}, _load_id,
        _source_file, _row_number
    from city_settlements

    union all

    select 'lk_leipzig', 'enquiries', {{ clean_ref('enquiry_id') }}, _load_id, _source_file,
        _row_number
    from district_enquiries

    union all

    select 'lk_leipzig', 'settlements', {{ clean_ref('enquiry_id') }}, _load_id, _source_file,
        _row_number
    from district_settlements

    union all

    select 'irl', 'events', {{ clean_ref('irl_projects.project_id') }}, irl_events._load_id,
        irl_events._source_file, irl_events._row_number
    from irl_projects
    inner join irl_events on irl_events.event_id = irl_projects.status_event_id
),

wanted as (
    select
        *,
        case when rule in ('several_settlement_records', 'settlement_set_aside',
                           'settlement_enquiry_not_won')
            then 'settlements' else 'enquiries' end as wanted_table
    from findings
),

located as (
    select
        wanted.*,
        record_rows.table_name,
        record_rows.load_id,
        record_rows.source_file,
        record_rows.row_number
    from wanted
    left join record_rows
        on record_rows.partner = wanted.partner
        and record_rows.record_id = wanted.record_id
    qualify row_number() over (
        partition by wanted.partner, wanted.month, wanted.record_id, wanted.project_id, wanted.rule
        order by case
            when record_rows.table_name in (wanted.wanted_table, 'events') then 0
            when record_rows.table_name is null then 2
            else 1 end,
            record_rows.table_name) = 1
)

select
    located.partner,
    located.month,
    located.source_file as file_name,
    partner_tables.sheet,
    located.row_number,
    located.table_name,
    located.record_id,
    located.project_id,
    case located.rule
        when 'records_disagree' then 'records_disagree'
        when 'settlement_enquiry_not_won' then 'settlement_enquiry_not_won'
        when 'several_settlement_records' then 'several_settlements'
        when 'settlement_set_aside' then 'settlement_set_aside'
        when 'won_without_settlement' then 'won_without_settlement'
        when 'register_entry_unparsed' then 'register_unparsed'
        when 'stand_in_ran_out' then 'stand_in_ran_out'
        else 'regional_rules'
    end as check_name,
    located.rule,
    'warning' as severity,
    located.load_id
from located
left join partner_tables
    on partner_tables.partner = located.partner
    and partner_tables.table_name = located.table_name
