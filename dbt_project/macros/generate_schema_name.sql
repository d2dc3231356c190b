{#- Custom schemas are used as-is (staging, intermediate, marts, seeds): the warehouse
    layout is a published interface, not a per-developer prefix. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
