{{ history_config('project_id') }}
-- IRL's projects as a running state after each event (CATALOGUE §1.2): the de-duplicated events
-- applied in `occurred_at`, `event_id` order, late and out-of-order events included.
--   project.created  sets every descriptive field and status `new`, dated `received_on`;
--   project.updated  replaces each field it carries (a list as a whole; null clears the field);
--   project.status_changed / project.won / project.lost set the status they name, dated by
--                    `decided_on` where the event has one, else the Europe/Berlin date of occurred_at;
--   project.won      also sets the project type when it carries one;
--   site_visit.held  changes no state.
-- The latest status event decides: a won or lost project that is reopened is open again.
-- Each field's state is the last value set by an event up to this one; the value is wrapped in a
-- struct so that an explicit null (which clears) is told apart from "not carried" (ignored).
{%- set fields = ['received_on', 'company_name', 'register_id', 'register_court',
                  'origin_country_label', 'cluster_label', 'project_type_label', 'required_area_m2',
                  'planned_jobs', 'planned_investment_eur', 'candidate_ags', 'partner_refs'] %}
{%- set has = {'origin_country_label': 'has_origin_country', 'cluster_label': 'has_cluster',
               'project_type_label': 'has_project_type'} %}
-- Incremental: only projects with an event in a changed load (new, or no longer standing) are
-- recomputed, each from all its standing events (a late event re-applies the whole project).
with events as (
    {{ standing('stg_irl__events') | indent(4) }}
    {%- if history_is_incremental() %}
      and _s.project_id in (
        select project_id from {{ ref('stg_irl__events') }}
        where _load_id in (select load_id from ({{ changed_loads('irl') }})))
    {%- endif %}
),

-- each distinct (event type, status label) is mapped once (lookups are subqueries over a seed;
-- per event they cost more than the rest of the model: --scale 1000, 2.7 M events)
event_statuses as (
    select
        event_type,
        status_label,
        case event_type
            when 'project.created' then {{ lookup_label("'new'", 'statuses', 'source_status', 'status', filter="_lk.partner = 'irl'", codes_map_to_self=true) }}
            when 'project.won' then {{ lookup_label("'won'", 'statuses', 'source_status', 'status', filter="_lk.partner = 'irl'", codes_map_to_self=true) }}
            when 'project.lost' then {{ lookup_label("'lost'", 'statuses', 'source_status', 'status', filter="_lk.partner = 'irl'", codes_map_to_self=true) }}
            when 'project.status_changed' then {{ lookup_label('status_label', 'statuses', 'source_status', 'status', filter="_lk.partner = 'irl'", codes_map_to_self=true) }}
        end as mapped_status
    from (select distinct event_type, status_label from events)
),

status_events as (
    select
        events.*,
        event_statuses.mapped_status
    from events
    left join event_statuses
        on event_statuses.event_type is not distinct from events.event_type
        and event_statuses.status_label is not distinct from events.status_label
),

applied as (
    select
        project_id,
        event_id,
        event_type,
        occurred_at,
        occurred_on,
        occurred_month,
        _load_id,
        _delivered_at,
        event_type = 'project.status_changed' and mapped_status is null as status_unmapped,
        {%- for f in fields %}
        {%- set flag = has.get(f, 'has_' ~ f) %}
        last_value(case
            when event_type = 'project.created'
              or (event_type = 'project.updated' and {{ flag }})
              {%- if f == 'project_type_label' %}
              or (event_type = 'project.won' and {{ flag }} and {{ f }} is not null)
              {%- endif %}
            then {'v': {{ f }}} end ignore nulls) over applied_so_far as _{{ f }},
        {%- endfor %}
        last_value(case when mapped_status is not null then {
            'event_id': event_id,
            'event_type': event_type,
            'status': mapped_status,
            'status_on': case event_type
                when 'project.created' then coalesce(received_on, occurred_on)
                else coalesce(decided_on, occurred_on) end,
            'lost_reason_label': lost_reason_label,
            'decided_on': coalesce(decided_on, occurred_on),
            'ags': ags,
            'site_id': site_id,
            'jobs_new': jobs_new,
            'jobs_secured': jobs_secured,
            'investment_eur': investment_eur,
            'project_type_label': project_type_label,
            'occurred_month': occurred_month
        } end ignore nulls) over applied_so_far as _status_event,
        min(occurred_on) over (partition by project_id) as first_event_on,
        row_number() over (partition by project_id order by occurred_at, event_id) as event_seq,
        lead(occurred_at) over (partition by project_id order by occurred_at, event_id) as next_occurred_at
    from status_events
    window applied_so_far as (
        partition by project_id order by occurred_at, event_id
        rows between unbounded preceding and current row)
),

-- and each distinct combination of the labels the projects end up with is looked up once
labels as (
    select distinct
        _origin_country_label.v as origin_country_label,
        _cluster_label.v as cluster_label,
        _project_type_label.v as project_type_label,
        _status_event.lost_reason_label as lost_reason_label
    from applied
),

label_codes as (
    select
        *,
        {{ lookup_label('origin_country_label', 'countries', 'name_de', 'iso2', codes_map_to_self=true) }} as origin_country,
        {{ lookup_label('cluster_label', 'clusters', 'cluster_code', 'cluster_code') }} as cluster_code,
        {{ lookup_label('project_type_label', 'project_types', 'label', 'project_type', codes_map_to_self=true) }} as project_type,
        {{ lookup_label('lost_reason_label', 'lost_reasons', 'label', 'lost_reason', codes_map_to_self=true) }} as lost_reason
    from labels
)

select
    a.project_id,
    a.event_seq,
    a.event_id,
    a.event_type,
    a.occurred_at,
    a.occurred_on,
    a.occurred_month,
    coalesce(a._received_on.v, a.first_event_on) as received_on,
    a._company_name.v as company_name,
    a._register_id.v as register_id,
    a._register_court.v as register_court,
    l.origin_country,
    {{ is_unmapped('l.origin_country_label', 'l.origin_country') }} as origin_country_unmapped,
    l.cluster_code,
    {{ is_unmapped('l.cluster_label', 'l.cluster_code') }} as cluster_unmapped,
    l.project_type,
    {{ is_unmapped('l.project_type_label', 'l.project_type') }} as project_type_unmapped,
    a._required_area_m2.v as required_area_m2,
    a._planned_jobs.v as planned_jobs,
    a._planned_investment_eur.v as planned_investment_eur,
    coalesce(a._candidate_ags.v, []::varchar[]) as candidate_ags,
    coalesce(a._partner_refs.v, []::varchar[]) as partner_refs,
    a._status_event.status as status,
    a._status_event.status_on as status_on,
    a._status_event.event_type as status_event_type,
    a._status_event.event_id as status_event_id,
    -- a reason that does not map is `other` and flagged (reference README: a finding)
    case when a._status_event.event_type = 'project.lost'
              and {{ normalise_label('a._status_event.lost_reason_label') }} is not null
         then coalesce(l.lost_reason, '{{ var("unmapped_lost_reason") }}') end as lost_reason,
    coalesce(a._status_event.event_type = 'project.lost'
             and {{ is_unmapped('l.lost_reason_label', 'l.lost_reason') }}, false) as lost_reason_unmapped,
    case when a._status_event.event_type = 'project.won' then a._status_event end as won_event,
    a.status_unmapped,
    a._load_id,
    a._delivered_at,
    a.occurred_at as valid_from,
    a.next_occurred_at as valid_to,
    a.next_occurred_at is null as is_current
from applied as a
inner join label_codes as l
    on l.origin_country_label is not distinct from a._origin_country_label.v
    and l.cluster_label is not distinct from a._cluster_label.v
    and l.project_type_label is not distinct from a._project_type_label.v
    and l.lost_reason_label is not distinct from a._status_event.lost_reason_label
