{#- CATALOGUE §1.3 tie order: irl, stadt_leipzig, lk_leipzig; a partner that joins later sorts
    after them (by its id, through the record id tie-break that always follows). -#}
{% macro partner_rank(partner_expr) -%}
  case {{ partner_expr }} when 'irl' then 1 when 'stadt_leipzig' then 2 when 'lk_leipzig' then 3 else 9 end
{%- endmacro %}

{#- Partner-qualified key used to match references: `<partner>:<ID>`, the id cleaned like every
    reference (clean_ref: trimmed, upper-cased; CATALOGUE §1 rule 1). -#}
{% macro reference_key(partner_expr, record_id_expr) -%}
  lower(trim({{ partner_expr }})) || ':' || {{ clean_ref(record_id_expr) }}
{%- endmacro %}

{#- RP- and the first 12 lower-case hex digits of sha256('<partner>:<record id>'). -#}
{% macro regional_project_id(partner_expr, record_id_expr) -%}
  'RP-' || left(lower(sha256({{ partner_expr }} || ':' || {{ record_id_expr }})), 12)
{%- endmacro %}

{#- Round half away from zero to `scale` digits, once, at the end (DuckDB rounds DECIMAL half away
    from zero; sums of DECIMAL stay exact DECIMAL(38, s) until here). -#}
{% macro round_half_away(expr, scale, precision=18) -%}
  cast(round(cast({{ expr }} as decimal(38, 10)), {{ scale }}) as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}

{% macro months_between_expr(from_expr, to_expr) -%}
  (12 * (year({{ to_expr }}) - year({{ from_expr }})) + month({{ to_expr }}) - month({{ from_expr }}))
{%- endmacro %}
