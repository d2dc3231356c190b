{#- Post-hook of int_regional_record_groups: the rows of records that are gone (no longer in
    int_regional_records) go; an incremental build inserts only the records it regrouped
    (docs/decisions/dbt-incremental-linking.md). -#}
{% macro drop_records_gone() -%}
{%- if execute %}
delete from {{ this }}
where record_key not in (select record_key from {{ ref('int_regional_records') }})
{%- endif %}
{%- endmacro %}
