{#-
  One row per regional project with the attributes of CATALOGUE §1.3.
  Record state: won when it has a settlement record or its status is won; lost when its status is
  lost and it is not won; open otherwise (on_hold is open).
  Descriptive attributes: from the IRL records that have a value (earliest received first), else
  from the earliest-received record that has one (ties: partner order, record id). A record's
  value is its enquiry row's, else its settlement row's (cluster, project type); unmapped values
  are NULL upstream and so are no value. Defaults: cluster OTHER, project type other.
-#}
with

groups as (
    select * from {{ ref('int_regional_record_groups') }}
),

enquiries as (
    select * from {{ ref('int_enquiry_records') }}
),

settlement_values as (
    select
        record_key,
        first(cluster_code order by decided_on, record_id) filter (where cluster_code is not null)
            as cluster_code,
        first(project_type order by decided_on, record_id) filter (where project_type is not null)
            as project_type
    from {{ ref('int_settlement_records') }}
    group by record_key
),

regional_settlements as (
    -- a regional settlement set aside (municipality not mapped) is no settlement for won_on:
    -- the project stays won through its status (CATALOGUE §2, §1.3)
    select project_id, decided_on, is_set_aside
    from {{ ref('int_regional_settlements') }}
    where is_regional
),

group_sizes as (
    select project_id, count(*) as group_records from groups group by project_id
),

record_states as (
    select
        g.project_id,
        z.group_records,
        g.partner,
        g.record_id,
        g.received_on,
        {{ partner_rank('g.partner') }} as partner_rank,
        case when g.partner = 'irl' then 0 else 1 end as source_rank,
        e.status,
        e.status_on,
        e.lost_reason,
        coalesce(e.cluster_code, s.cluster_code) as cluster_code,
        e.origin_country,
        coalesce(e.project_type, s.project_type) as project_type,
        e.required_area_m2,
        e.planned_jobs,
        e.planned_investment_eur,
        coalesce(s.record_key is not null or e.status = 'won', false) as is_won,
        coalesce(e.status = 'lost' and s.record_key is null, false) as is_lost
    from groups as g
    inner join group_sizes as z on z.project_id = g.project_id
    left join enquiries as e on g.record_key = e.record_key
    left join settlement_values as s on g.record_key = s.record_key
),

record_states_open as (
    select
        *,
        not is_won and not is_lost as is_open,
        case
            when is_won or is_lost then null
            else case coalesce(status, 'new')
                when 'new' then 1
                when 'in_progress' then 2
                when 'site_offer' then 3
                when 'site_visit' then 4
                when 'negotiation' then 5
                when 'on_hold' then 0
            end
        end as open_rank
    from record_states
),

projects as (
    -- a project of one record (most projects) takes the record's values as they are: the
    -- aggregation below is the same for it, and at --scale 1000 it is most of the model's cost
    select
        project_id,
        received_on as first_received_on,
        cluster_code,
        origin_country,
        project_type,
        required_area_m2,
        planned_jobs,
        planned_investment_eur,
        is_won as any_won,
        is_lost as all_lost,
        open_rank as max_open_rank,
        case when status = 'won' then status_on end as first_won_status_on,
        [partner] as partners,
        1 as record_count,
        case when is_lost then status_on end as single_lost_on,
        case when is_lost then lost_reason end as single_lost_reason
    from record_states_open
    where group_records = 1

    union all by name

    select
        project_id,
        min(received_on) as first_received_on,
        {% for col in ['cluster_code', 'origin_country', 'project_type', 'required_area_m2',
                       'planned_jobs', 'planned_investment_eur'] %}
        arg_min({{ col }}, attribute_order) filter (where {{ col }} is not null) as {{ col }},
        {% endfor %}
        bool_or(is_won) as any_won,
        bool_and(is_lost) as all_lost,
        max(open_rank) as max_open_rank,
        min(status_on) filter (where status = 'won') as first_won_status_on,
        list_sort(list_distinct(list(partner))) as partners,
        count(*)::integer as record_count
    from (
        -- the attributes' order as one number per record: an ordered aggregate per attribute
        -- compared the five-part key again in each of six aggregates (at --scale 1000, 3 s of
        -- the model's 6)
        select
            *,
            row_number() over (
                partition by project_id
                order by source_rank, received_on, partner_rank, partner, record_id
            ) as attribute_order
        from record_states_open
        where group_records > 1
    )
    group by project_id
),

latest_loss as (
    -- a project of several records: its latest loss (a single record's is its own, above)
    select
        project_id,
        status_on as lost_on,
        lost_reason
    from record_states_open
    where is_lost and group_records > 1
    qualify row_number() over (
        partition by project_id
        order by status_on desc nulls last, partner_rank, partner, record_id
    ) = 1
),

statuses as (
    select
        p.*,
        case
            when p.any_won then 'won'
            when p.all_lost then 'lost'
            else case p.max_open_rank
                when 0 then 'on_hold'
                when 1 then 'new'
                when 2 then 'in_progress'
                when 3 then 'site_offer'
                when 4 then 'site_visit'
                when 5 then 'negotiation'
            end
        end as status
    from projects as p
)

select
    s.project_id,
    s.first_received_on,
    coalesce(s.cluster_code, 'OTHER') as cluster_code,
    s.origin_country,
    coalesce(s.project_type, 'other') as project_type,
    s.status,
    case when s.status = 'won' then coalesce(
        case when not rs.is_set_aside then rs.decided_on end,
        s.first_won_status_on,
        rs.decided_on  -- won only through a set-aside settlement: its date is all there is
    ) end as won_on,
    case when s.status = 'lost' then
        case when s.record_count = 1 then s.single_lost_on else l.lost_on end end as lost_on,
    case when s.status = 'lost' then
        case when s.record_count = 1 then s.single_lost_reason else l.lost_reason end end as lost_reason,
    s.required_area_m2,
    s.planned_jobs,
    s.planned_investment_eur,
    s.partners,
    s.record_count
from statuses as s
left join regional_settlements as rs on s.project_id = rs.project_id
left join latest_loss as l on s.project_id = l.project_id
