{#-
  CATALOGUE §1.1 "Company name", in this order:
    1. lower case; 2. ä→ae, ö→oe, ü→ue, ß→ss; 3. every run of characters that are not letters or
    digits (Unicode: `é`, `ł` are letters) → one space; 4. trim; 5. remove a legal form at the end, as whole words, again and again
    until none is left (the catalogue's list, in its order: at one position the first listed
    alternative that matches wins, and the leftmost start wins, so `gmbh co kg` goes before `kg`);
    6. a name that would become empty keeps its last word (the last word of the name of step 4).
  Text is NFC-normalised first (a decomposed `ä` is an `ä`). An empty or NULL input gives NULL
  (no name).
  The removal is repeated by nesting `legal_form_passes` applications (default 6: no real name
  carries more than a few stacked legal forms).
-#}

{% macro company_name_legal_forms() -%}
  {{ return(['gmbh co kg', 'gmbh co kgaa', 'ag co kg', 'gmbh', 'mbh', 'ag', 'se', 'kg', 'kgaa',
             'ohg', 'gbr', 'eg', 'ev', 'e v', 'ug haftungsbeschraenkt', 'ug', 'e k', 'ek', 'ltd',
             'limited', 'inc', 'llc', 'plc', 's a', 'sa', 's p a', 'spa', 'b v', 'bv', 'n v',
             'nv', 'sp z o o', 's r o', 'a s', 'as']) }}
{%- endmacro %}

{#- Steps 1 to 4: lower case, umlauts spelled out, non-alphanumeric runs to one space, trimmed. -#}
{% macro normalise_name_text(expr) -%}
  trim(regexp_replace(
    replace(replace(replace(replace(lower(nfc_normalize({{ expr }})), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'),
    '[^\pL\pN]+', ' ', 'g'))
{%- endmacro %}

{% macro strip_legal_forms(expr, passes=6) -%}
  {%- set pattern = '(^| )(' ~ company_name_legal_forms() | join('|') ~ ')$' -%}
  {%- set ns = namespace(sql=expr) -%}
  {%- for i in range(passes) -%}
    {%- set ns.sql = "regexp_replace(" ~ ns.sql ~ ", '" ~ pattern ~ "', '')" -%}
  {%- endfor -%}
  {{ ns.sql }}
{%- endmacro %}

{% macro normalise_company_name(expr, passes=6) -%}
  {%- set base = normalise_name_text(expr) -%}
  {%- set stripped = 'trim(' ~ strip_legal_forms(base, passes) ~ ')' -%}
  case
    when {{ base }} = '' then null
    when {{ stripped }} = '' then regexp_extract({{ base }}, '([^ ]+)$', 1)
    else {{ stripped }}
  end
{%- endmacro %}
