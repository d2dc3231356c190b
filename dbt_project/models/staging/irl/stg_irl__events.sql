{{ staging_incremental_config() }}
-- IRL's CRM events, de-duplicated by event_id (delivered at least once:
-- the first load that brought an event wins; the copies are identical). The payload's fields are
-- extracted one by one; its `contact` (personal data) and free text (`competitor_region`) are not.
-- `has_<field>` says whether the payload carries the key at all (an explicit null clears a field
-- in project.updated). Incremental: a run adds the events of loads not seen before.
with events as (
    {{ raw_rows(source('raw_irl', 'events'), ['event_id', 'event_type', 'occurred_at', 'project_id', 'payload']) }}
),

first_copy as (
    select *
    from events
    {% if is_incremental() %}
    where event_id not in (select event_id from {{ this }})
    {% endif %}
    qualify row_number() over (
        partition by event_id order by _loaded_at, _load_id, _row_number) = 1
),

fields as (
    select
        trim(event_id) as event_id,
        trim(event_type) as event_type,
        cast(occurred_at as timestamptz) as occurred_at,
        {{ berlin_date('occurred_at') }} as occurred_on,
        trim(project_id) as project_id,
        try_cast(payload as json) as p,
        _load_id, _source_file, _row_number, _period, _loaded_at
    from first_copy
)

select
    event_id,
    event_type,
    occurred_at,
    occurred_on,
    cast(date_trunc('month', occurred_on) as date) as occurred_month,
    project_id,
    {%- for f in ['received_on', 'company_name', 'register_id', 'register_court', 'origin_country',
                  'cluster', 'project_type', 'required_area_m2', 'planned_jobs',
                  'planned_investment_eur', 'candidate_ags', 'partner_refs'] %}
    coalesce(json_exists(p, '$.{{ f }}'), false) as has_{{ f }},
    {%- endfor %}
    try_cast(json_extract_string(p, '$.received_on') as date) as received_on,
    nullif(trim(json_extract_string(p, '$.company_name')), '') as company_name,
    nullif(trim(json_extract_string(p, '$.register_id')), '') as register_id,
    nullif(trim(json_extract_string(p, '$.register_court')), '') as register_court,
    nullif(trim(json_extract_string(p, '$.origin_country')), '') as origin_country_label,
    nullif(trim(json_extract_string(p, '$.cluster')), '') as cluster_label,
    nullif(trim(json_extract_string(p, '$.project_type')), '') as project_type_label,
    {{ to_decimal("json_extract_string(p, '$.required_area_m2')") }} as required_area_m2,
    try_cast(json_extract_string(p, '$.planned_jobs') as integer) as planned_jobs,
    {{ to_decimal("json_extract_string(p, '$.planned_investment_eur')") }} as planned_investment_eur,
    case when json_type(p, '$.candidate_ags') = 'ARRAY'
         then list_filter(list_transform(json_extract_string(p, '$.candidate_ags[*]'), lambda x: trim(x)), lambda x: nullif(x, '') is not null)
    end as candidate_ags,
    case when json_type(p, '$.partner_refs') = 'ARRAY'
         then list_filter(
             list_transform(json_extract(p, '$.partner_refs[*]'),
                 lambda x: lower(trim(json_extract_string(x, '$.partner'))) || ':' || upper(trim(json_extract_string(x, '$.ref')))),
             lambda x: x is not null)
    end as partner_refs,
    nullif(trim(json_extract_string(p, '$.status')), '') as status_label,
    try_cast(json_extract_string(p, '$.decided_on') as date) as decided_on,
    nullif(trim(json_extract_string(p, '$.lost_reason')), '') as lost_reason_label,
    nullif(trim(json_extract_string(p, '$.ags')), '') as ags,
    {{ clean_ref("json_extract_string(p, '$.site_id')") }} as site_id,
    try_cast(json_extract_string(p, '$.visited_on') as date) as visited_on,
    try_cast(json_extract_string(p, '$.jobs_new') as integer) as jobs_new,
    try_cast(json_extract_string(p, '$.jobs_secured') as integer) as jobs_secured,
    {{ to_decimal("json_extract_string(p, '$.investment_eur')") }} as investment_eur,
    _load_id, _source_file, _row_number, _period, _loaded_at
from fields
