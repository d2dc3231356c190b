{#- Code lookups through the reference seeds (never their values in SQL).

    lookup_label(expr, seed, label_column, value_column, filter=none, codes_map_to_self=false)
      The value of the seed row whose normalised label equals the normalised expr (NULL when
      none). With codes_map_to_self a value that already is a code of the value column maps
      to itself (IRL sends codes: `labour`, `DE`, `new`, `in_progress`), whatever the filter. -#}
{% macro lookup_label(expr, seed, label_column, value_column, filter=none, codes_map_to_self=false) -%}
{%- if codes_map_to_self -%}coalesce({%- endif -%}
(select min(_lk.{{ value_column }}) from {{ ref(seed) }} as _lk
  where {{ normalise_label('_lk.' ~ label_column) }} = {{ normalise_label(expr) }}
  {%- if filter %} and {{ filter }}{% endif %})
{%- if codes_map_to_self %},
(select min(_lc.{{ value_column }}) from {{ ref(seed) }} as _lc
  where lower(_lc.{{ value_column }}) = {{ normalise_label(expr) }})){%- endif -%}
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
    (select arg_max(_wz.cluster_code, length(_wz.wz_prefix)) from {{ wz_cluster_relation() }} as _wz
      where starts_with({{ wz_digits(expr) }}, _wz.wz_prefix)),
    '{{ var("other_cluster_code") }}') end
{%- endmacro %}

{% macro wz_unmapped(expr) -%}
(nullif(trim({{ expr }}), '') is not null and {{ wz_digits(expr) }} is null)
{%- endmacro %}

{#- One municipality name → AGS (current names, former names, ASCII spellings). -#}
{% macro municipality_ags(expr) -%}
(select min(_m.ags) from {{ municipality_names_relation() }} as _m
  where _m.name_normalised = {{ normalise_label(expr) }})
{%- endmacro %}

{#- CTEs that map a list of municipality names (the district's `Gemeinde(n)`) to the list of their
    AGS, in the order given, without repeats. The whole cell is matched first; else it is split on
    `,` and each part matched whole; else that part is split on `/`, except inside names that
    contain `/` themselves (`Trebsen/Mulde`), which are protected before the split (their `/`
    becomes chr(1)). Emits `, <from_cte>_municipalities as (...)` with the key columns,
    `candidate_ags` (varchar[]) and `municipality_unmapped` (a non-empty part did not match). -#}
{% macro municipality_list_ctes(from_cte, keys, name_column) -%}
{%- set k = keys | join(', ') -%}
{%- set names = municipality_names_relation() -%}
, {{ from_cte }}__slash_names as (
    select coalesce(list(name_normalised), []::varchar[]) as names
    from {{ names }}
    where contains_slash
),
{{ from_cte }}__cells as (
    select {{ k }},
           {{ normalise_label(name_column) }} as cell,
           list_reduce(list_prepend({{ normalise_label(name_column) }}, sn.names),
                       lambda acc, n: replace(acc, n, replace(n, '/', chr(1)))) as protected
    from {{ from_cte }}, {{ from_cte }}__slash_names as sn
    where {{ normalise_label(name_column) }} is not null
),
{{ from_cte }}__whole as (
    select c.*, m.ags
    from {{ from_cte }}__cells as c
    left join {{ names }} as m on m.name_normalised = c.cell
),
{{ from_cte }}__comma_parts as (
    select {{ k }}, part, part_no, m.ags,
           {{ normalise_label("replace(part, chr(1), '/')") }} as part_name
    from (
        select {{ k }},
               unnest(string_split(protected, ',')) as part,
               generate_subscripts(string_split(protected, ','), 1) as part_no
        from {{ from_cte }}__whole
        where ags is null
    ) as p
    left join {{ names }} as m on m.name_normalised = {{ normalise_label("replace(p.part, chr(1), '/')") }}
),
{{ from_cte }}__slash_parts as (
    select {{ k }}, part_no, sub_no, m.ags,
           {{ normalise_label("replace(sub, chr(1), '/')") }} as sub_name
    from (
        select {{ k }}, part_no,
               unnest(string_split(part, '/')) as sub,
               generate_subscripts(string_split(part, '/'), 1) as sub_no
        from {{ from_cte }}__comma_parts
        where ags is null
    ) as s
    left join {{ names }} as m on m.name_normalised = {{ normalise_label("replace(s.sub, chr(1), '/')") }}
),
{{ from_cte }}__parts as (
    select {{ k }}, 0 as pos, ags from {{ from_cte }}__whole where ags is not null
    union all
    select {{ k }}, part_no * 1000 as pos, ags from {{ from_cte }}__comma_parts where ags is not null
    union all
    select {{ k }}, part_no * 1000 + sub_no as pos, ags from {{ from_cte }}__slash_parts where sub_name is not null
),
{{ from_cte }}__first_pos as (
    select {{ k }}, ags, min(pos) as pos, count(*) as n
    from {{ from_cte }}__parts
    group by all
),
{{ from_cte }}_municipalities as (
    select {{ k }},
           coalesce(list(ags order by pos) filter (where ags is not null), []::varchar[]) as candidate_ags,
           coalesce(bool_or(ags is null), false) as municipality_unmapped
    from {{ from_cte }}__first_pos
    group by all
)
{%- endmacro %}


{#- The wz_cluster seed parsed (it is loaded one line per row, see seeds/_seeds.yml): prefix = the
    text before the first comma, cluster = between the first and second comma, title = the rest.
    A subquery, so that staging models read the seed itself. -#}
{% macro wz_cluster_relation() -%}
(select
    trim(split_part(_line, ',', 1)) as wz_prefix,
    trim(split_part(_line, ',', 2)) as cluster_code,
    trim(both '"' from trim(substr(_line, length(split_part(_line, ',', 1)) + length(split_part(_line, ',', 2)) + 3)))
        as wz_title_de
 from (select "wz_prefix,cluster_code,wz_title_de" as _line from {{ ref('wz_cluster') }}) as _wl
 where trim(_line) <> '')
{%- endmacro %}

{#- Every name a municipality is known by (current name and former_names split on `|`),
    normalised: (name_normalised, ags, is_former_name, contains_slash). A subquery over the seed. -#}
{% macro municipality_names_relation() -%}
(select distinct
    {{ normalise_label('_known_name') }} as name_normalised,
    ags,
    _is_former as is_former_name,
    contains(_known_name, '/') as contains_slash
 from (
    select ags, name as _known_name, false as _is_former from {{ ref('municipalities') }}
    union all
    select ags, trim(unnest(string_split(former_names, '|'))), true
    from {{ ref('municipalities') }}
    where nullif(trim(former_names), '') is not null
 ) as _mn
 where {{ normalise_label('_known_name') }} is not null)
{%- endmacro %}
