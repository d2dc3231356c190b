{#- Code lookups through the reference seeds (never their values in SQL).

    lookup_label(expr, seed, label_column, value_column, filter=none, codes_map_to_self=false)
      The value of the seed row whose normalised label equals the normalised expr (NULL when
      none). With codes_map_to_self a value that already is a code of the value column maps
      to itself (IRL sends codes: `labour`, `DE`, `new`). -#}
{% macro lookup_label(expr, seed, label_column, value_column, filter=none, codes_map_to_self=false) -%}
{%- if codes_map_to_self -%}coalesce({%- endif -%}
(select min(_lk.{{ value_column }}) from {{ ref(seed) }} as _lk
  where {{ normalise_label('_lk.' ~ label_column) }} = {{ normalise_label(expr) }}
  {%- if filter %} and {{ filter }}{% endif %})
{%- if codes_map_to_self %},
(select min(_lc.{{ value_column }}) from {{ ref(seed) }} as _lc
  where lower(_lc.{{ value_column }}) = {{ normalise_label(expr) }}
  {%- if filter %} and {{ filter | replace('_lk.', '_lc.') }}{% endif %})){%- endif -%}
{%- endmacro %}

{#- True when a label was given (not empty) but did not map. -#}
{% macro is_unmapped(label_expr, mapped_expr) -%}
({{ normalise_label(label_expr) }} is not null and {{ mapped_expr }} is null)
{%- endmacro %}

{#- WZ 2008 code → its digits when it is a valid code (dots and spaces removed, 2 to 5 digits),
    else NULL. -#}
{% macro wz_digits(expr) -%}
case when regexp_full_match(regexp_replace(trim({{ expr }}), '[.\s]', '', 'g'), '[0-9]{2,5}')
     then regexp_replace(trim({{ expr }}), '[.\s]', '', 'g') end
{%- endmacro %}

{#- WZ 2008 code → cluster by the longest matching prefix of its digits; a valid code without a
    match → the catch-all cluster (var other_cluster_code); an invalid code → NULL (the caller
    flags it with wz_unmapped). -#}
{% macro wz_cluster(expr) -%}
case when {{ wz_digits(expr) }} is not null then coalesce(
    (select arg_max(_wz.cluster_code, length(_wz.wz_prefix)) from {{ ref('stg_reference__wz_cluster') }} as _wz
      where starts_with({{ wz_digits(expr) }}, _wz.wz_prefix)),
    '{{ var("other_cluster_code") }}') end
{%- endmacro %}

{% macro wz_unmapped(expr) -%}
(nullif(trim({{ expr }}), '') is not null and {{ wz_digits(expr) }} is null)
{%- endmacro %}

{#- One municipality name → AGS (current names, former names, ASCII spellings). -#}
{% macro municipality_ags(expr) -%}
(select min(_m.ags) from {{ ref('stg_reference__municipality_names') }} as _m
  where _m.name_normalised = {{ normalise_label(expr) }})
{%- endmacro %}
