{#- Events that arrived more than 60 days after they happened (partners/README: "an event
    usually arrives within 60 days"): every raw table with an `occurred_at` column, rows of
    loads that stand, compared with the file date (`_period`). -#}
{%- set event_tables = [] -%}
{%- if execute -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name.startswith('raw_') and 'occurred_at' in node.columns -%}
            {%- do event_tables.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

with

loads as (
    select * from {{ ref('int_quality__loads') }}
),

events as (
    {%- for node in event_tables | sort(attribute='source_name') %}
    select
        '{{ node.source_name[4:] }}' as partner,
        '{{ node.name }}' as table_name,
        _load_id as load_id,
        _source_file as source_file,
        _row_number as row_number,
        _period as file_date,
        (occurred_at at time zone 'Europe/Berlin')::date as occurred_on
    from {{ source(node.source_name, node.name) }}
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        null::varchar as partner, null::varchar as table_name, null::varchar as load_id,
        null::varchar as source_file, null::integer as row_number, null::date as file_date,
        null::date as occurred_on
    where false
    {%- endfor %}
)

select
    events.partner,
    events.table_name,
    events.load_id,
    events.source_file,
    events.row_number,
    loads.month,
    events.file_date - events.occurred_on as days_late
from events
inner join loads
    on loads.load_id = events.load_id
    and loads.is_standing
where events.file_date - events.occurred_on > 60
