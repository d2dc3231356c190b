{#- Every partner's set-aside rows (raw_<partner>.quarantine), by location and reason only:
    `raw_text` (the row as delivered, possibly personal data) is never selected. The partners
    are those whose raw layer declares a `quarantine` source, so a new partner joins here
    by configuration. -#}
{%- set quarantines = [] -%}
{%- if execute -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.name == 'quarantine' and node.source_name.startswith('raw_') -%}
            {%- do quarantines.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

with

set_aside as (
    {%- for node in quarantines | sort(attribute='source_name') %}
    select
        '{{ node.source_name[4:] }}' as partner,
        _load_id as load_id,
        _source_file as source_file,
        table_name,
        sheet,
        _row_number as row_number,
        reason
    from {{ source(node.source_name, node.name) }}
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        null::varchar as partner, null::varchar as load_id, null::varchar as source_file,
        null::varchar as table_name, null::varchar as sheet, null::integer as row_number,
        null::varchar as reason
    where false
    {%- endfor %}
)

select * from set_aside
