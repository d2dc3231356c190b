{#-
  CATALOGUE §1.1 "Register entry". An entry is type (`HRA`, `HRB`, `GnR`, `PR`, `VR`, any case,
  with or without spaces before the number), the number without leading zeros and an optional
  one-letter suffix that belongs to the entry (`HRB 12345 B` is not `HRB 12345`).
  The court is what remains of the court text after removing the entry itself, the words
  `Amtsgericht`, `AG`, `Registergericht` and punctuation, normalised like a company name
  (§1.1). Court text: the court field where one is delivered (city `Registergericht`, IRL
  `register_court`), else the rest of the register cell (the district's whole `HR-Nr.` cell).
  A cell without a parseable entry gives NULL (no entry: a data-quality finding).
-#}

{% macro register_entry_pattern() -%}
(?i)(^|[^a-z0-9])(hra|hrb|gnr|pr|vr)\s*0*([0-9]+)(\s*[a-z])?([^a-z0-9]|$)
{%- endmacro %}

{#- 'HRB|4711|B' (type upper-case, GnR as GNR, suffix upper-case or empty), or NULL -#}
{% macro register_entry_id(register_expr) -%}
  case when regexp_matches({{ register_expr }}, '{{ register_entry_pattern() }}')
    then upper(regexp_extract({{ register_expr }}, '{{ register_entry_pattern() }}', 2))
      || '|' || regexp_extract({{ register_expr }}, '{{ register_entry_pattern() }}', 3)
      || '|' || upper(regexp_replace(regexp_extract({{ register_expr }}, '{{ register_entry_pattern() }}', 4), '\s', '', 'g'))
  end
{%- endmacro %}

{#- the normalised court, or NULL when none is named -#}
{% macro register_court(register_expr, court_expr) -%}
  {%- set court_text -%}
    coalesce(
      nullif(trim({{ court_expr }}), ''),
      regexp_replace({{ register_expr }}, '{{ register_entry_pattern() }}', '\1 \5'))
  {%- endset -%}
  {%- set cleaned -%}
    trim(regexp_replace({{ normalise_name_text(court_text) }},
      '(^| )(amtsgericht|ag|registergericht)( (amtsgericht|ag|registergericht))*( |$)', ' ', 'g'))
  {%- endset -%}
  nullif({{ normalise_company_name(cleaned) }}, '')
{%- endmacro %}
