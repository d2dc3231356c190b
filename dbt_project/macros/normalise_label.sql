{#- A label as the reference README matches it: lower case, ä/ö/ü/ß spelled ae/oe/ue/ss (applied to
    both sides of a match, so `Zurueckgestellt` equals `zurückgestellt`), runs of white space
    collapsed to one space, trimmed. NULL stays NULL; an empty label becomes NULL. -#}
{% macro normalise_label(expr) -%}
nullif(trim(regexp_replace(
    replace(replace(replace(replace(lower({{ expr }}), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'),
    '\s+', ' ', 'g')), '')
{%- endmacro %}
