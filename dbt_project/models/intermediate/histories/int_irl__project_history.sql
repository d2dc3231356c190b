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

status_events as (
    select
        *,
        case event_type
            when 'project.created' then {{ lookup_label("'new'", 'statuses', 'source_status', 'status', filter="_lk.partner = 'irl'", codes_map_to_self=true) }}
            when 'project.won' then {{ lookup_label("'won'", 'statuses', 'source_status', 'status', filter="_lk.partner = 'irl'", codes_map_to_self=true) }}
            when 'project.lost' then {{ lookup_label("'lost'", 'statuses', 'source_status', 'status', filter="_lk.partner = 'irl'", codes_map_to_self=true) }}
            when 'project.status_changed' then {{ lookup_label('status_label', 'statuses', 'source_status', 'status', filter="_lk.partner = 'irl'", codes_map_to_self=true) }}
        end as mapped_status
    from events
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
                when 'project.status_changed' then occurred_on
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
)

select
    project_id,
    event_seq,
    event_id,
    event_type,
    occurred_at,
    occurred_on,
    occurred_month,
    coalesce(_received_on.v, first_event_on) as received_on,
    _company_name.v as company_name,
    _register_id.v as register_id,
    _register_court.v as register_court,
    {{ lookup_label('_origin_country_label.v', 'countries', 'name_de', 'iso2', codes_map_to_self=true) }} as origin_country,
    {{ is_unmapped('_origin_country_label.v', lookup_label('_origin_country_label.v', 'countries', 'name_de', 'iso2', codes_map_to_self=true)) }} as origin_country_unmapped,
    {{ lookup_label('_cluster_label.v', 'clusters', 'cluster_code', 'cluster_code') }} as cluster_code,
    {{ is_unmapped('_cluster_label.v', lookup_label('_cluster_label.v', 'clusters', 'cluster_code', 'cluster_code')) }} as cluster_unmapped,
    {{ lookup_label('_project_type_label.v', 'project_types', 'label', 'project_type', codes_map_to_self=true) }} as project_type,
    {{ is_unmapped('_project_type_label.v', lookup_label('_project_type_label.v', 'project_types', 'label', 'project_type', codes_map_to_self=true)) }} as project_type_unmapped,
    _required_area_m2.v as required_area_m2,
    _planned_jobs.v as planned_jobs,
    _planned_investment_eur.v as planned_investment_eur,
    coalesce(_candidate_ags.v, []::varchar[]) as candidate_ags,
    coalesce(_partner_refs.v, []::varchar[]) as partner_refs,
    _status_event.status as status,
    _status_event.status_on as status_on,
    _status_event.event_type as status_event_type,
    _status_event.event_id as status_event_id,
    case when _status_event.event_type = 'project.lost' and _status_event.lost_reason_label is not null
         then coalesce(
             {{ lookup_label('_status_event.lost_reason_label', 'lost_reasons', 'label', 'lost_reason', codes_map_to_self=true) }},
             '{{ var("unmapped_lost_reason") }}') end as lost_reason,
    case when _status_event.event_type = 'project.won' then _status_event end as won_event,
    status_unmapped,
    _load_id,
    _delivered_at,
    occurred_at as valid_from,
    next_occurred_at as valid_to,
    next_occurred_at is null as is_current
from applied
