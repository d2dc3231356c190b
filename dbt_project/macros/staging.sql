{#- The rows of a raw table, with the listed columns only (never contact or free-text columns)
    and the lineage columns. Staging reads exactly one source (dbt-project-evaluator rules,
    docs/decisions/0004): which loads stand (ledger) is applied downstream by `standing()`.
    Incremental by load: a run reads only the loads it has not staged yet. -#}
{% macro raw_rows(relation, columns) -%}
select
    {%- for c in columns %}
    _r.{{ c }},
    {%- endfor %}
    _r._load_id,
    _r._source_file,
    _r._row_number,
    cast(_r._period as date) as _period,
    _r._loaded_at
from {{ relation }} as _r
{{ loads_not_staged(relation) }}
{%- endmacro %}

{#- On an incremental run, the condition (a `where`) that keeps the rows of `relation` (aliased
    `_r`) whose load is not staged yet; nothing on a full build. -#}
{% macro loads_not_staged(relation) -%}
{%- if is_incremental() %}
-- the loads not staged yet, found on the load column alone: as a semi join on a short list,
-- DuckDB skips the row groups of older loads instead of reading every column of every row
-- (at --scale 1000 the district's raw enquiries hold 15 M rows: 2.5 -> 0.05 s)
where _r._load_id in (
    select _load_id from (select distinct _load_id from {{ relation }})
    anti join (select distinct _load_id from {{ this }}) using (_load_id)
)
{%- endif %}
{%- endmacro %}

{#- Staging of a raw table is an append-only mirror keyed by the load: one more month of
    deliveries adds its loads and rebuilds nothing. A change of a seed (a mapping fixed) needs
    `dbt build --full-refresh` to re-map rows staged before. -#}
{% macro staging_incremental_config() -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail'
) }}
{%- endmacro %}

{#- The rows of a staged model whose load stands (docs/raw_layer.md: `status = 'loaded'` and not
    superseded by a correction), with the load's correction number and delivery time. -#}
{% macro standing(model) -%}
select _s.*, _l.correction as _correction, _l.delivered_at as _delivered_at
from {{ ref(model) }} as _s
inner join {{ ref('stg_meta__load_ledger') }} as _l
    on _l.load_id = _s._load_id
where _l.is_standing
{%- endmacro %}

{#- Units (CATALOGUE §1.3, §3). -#}
{% macro teur_to_eur(expr) -%}
cast(try_cast({{ expr }} as decimal(18, 4)) * 1000 as decimal(18, 2))
{%- endmacro %}

{% macro ha_to_m2(expr) -%}
cast(try_cast({{ expr }} as decimal(18, 6)) * 10000 as decimal(18, 2))
{%- endmacro %}

{#- m² → ha at full precision: the raw layer's m² (four decimals) times 0.0001 is exact in
    decimal(18, 8) (DuckDB's `/` would go through DOUBLE). Hectares are rounded once, in the
    published marts (CATALOGUE §4: "sums are exact and rounded once, at the end"). -#}
{% macro m2_to_ha(expr) -%}
cast(try_cast({{ expr }} as decimal(18, 4)) * 0.0001 as decimal(18, 8))
{%- endmacro %}

{#- A number as decimal(18, scale), through decimal(18, 6) (or the scale, if larger) so that a
    DOUBLE is read as the decimal it was written as. -#}
{% macro to_decimal(expr, scale=2) -%}
cast(try_cast({{ expr }} as decimal(18, {{ [6, scale] | max }})) as decimal(18, {{ scale }}))
{%- endmacro %}

{#- An id or reference as compared: trimmed, upper-cased (CATALOGUE §1). -#}
{% macro clean_ref(expr) -%}
nullif(upper(trim({{ expr }})), '')
{%- endmacro %}

{#- The Europe/Berlin local date of a timestamp (timestamptz, or naive UTC). -#}
{% macro berlin_date(expr) -%}
cast(timezone('Europe/Berlin', cast({{ expr }} as timestamptz)) as date)
{%- endmacro %}
