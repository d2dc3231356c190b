{#- Post-hook of int_regional_record_groups: the rows of records that are gone (no longer in
    int_regional_records) go; an incremental build inserts only the records it regrouped
    (docs/decisions/dbt-incremental-linking.md). -#}
{% macro drop_records_gone() -%}
{%- if execute %}
delete from {{ this }}
where record_key not in (select record_key from {{ ref('int_regional_records') }})
{%- endif %}
{%- endmacro %}

{#- A record's keys as one number (an aggregate over its rows of int_regional_match_keys): the
    XOR of each `kind|key`'s 64-bit hash, so the keys' order does not matter (a record carries a
    key once: the model's unique test). Two different key sets share a fingerprint with a
    chance of about 2^-64 per changed record; a DuckDB upgrade that changed `hash()` would make
    every record look touched, and the next build regroup everything (correct, only slower). -#}
{% macro link_hash(key_kind, match_key) -%}
coalesce(bit_xor(hash({{ key_kind }} || '|' || {{ match_key }})), 0::ubigint)
{%- endmacro %}
