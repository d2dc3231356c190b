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

{#- true when the cell holds a parseable entry. The same pattern without capture groups: RE2
    then answers from its DFA alone (at --scale 1000, 1 M cells: 1.2 s less). -#}
{% macro register_entry_parses(register_expr) -%}
  {%- set pattern = register_entry_pattern() -%}
  {%- set flags, body = pattern[:4], pattern[4:] -%}
  {%- if flags != '(?i)' or '(?' in body or '\(' in body -%}
    {{ exceptions.raise_compiler_error('register_entry_parses expects (?i) and plain groups') }}
  {%- endif -%}
  regexp_matches({{ register_expr }}, '{{ flags ~ body.replace('(', '(?:') }}')
{%- endmacro %}

{#- 'HRB|4711|B' (type upper-case, GnR as GNR, suffix upper-case or empty), or NULL. The pattern
    runs once per cell: regexp_extract with a list of names returns all groups as one struct (each
    group '' when nothing matches; the type group is never '' in a match), and DuckDB computes
    the repeated identical expression once (common subexpressions). -#}
{% macro register_entry_id(register_expr) -%}
  {%- set entry = "regexp_extract(" ~ register_expr ~ ", '" ~ register_entry_pattern()
                  ~ "', ['before', 'type', 'number', 'suffix', 'after'])" -%}
  case when {{ entry }}.type <> ''
    then upper({{ entry }}.type) || '|' || {{ entry }}.number
      || '|' || upper(regexp_replace({{ entry }}.suffix, '\s', '', 'g'))
  end
{%- endmacro %}

{#- The court text of an entry: the court field where one is delivered, else the register cell
    without the entry itself; register_court_from_text normalises it. Split in two so that a
    model can normalise each distinct court text once (there are far fewer courts than cells). -#}
{% macro register_court_text(register_expr, court_expr) -%}
    coalesce(
      nullif(trim({{ court_expr }}), ''),
      regexp_replace({{ register_expr }}, '{{ register_entry_pattern() }}', '\1 \5'))
{%- endmacro %}

{#- the normalised court of a court text, or NULL when none is named -#}
{% macro register_court_from_text(court_text) -%}
  {%- set cleaned -%}
    trim(regexp_replace({{ normalise_name_text(court_text) }},
      '(^| )(amtsgericht|ag|registergericht)( (amtsgericht|ag|registergericht))*( |$)', ' ', 'g'))
  {%- endset -%}
  nullif({{ normalise_company_name(cleaned) }}, '')
{%- endmacro %}
