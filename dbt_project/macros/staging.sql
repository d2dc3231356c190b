{#- The rows of a raw table that belong to loads that stand (docs/raw_layer.md): the load is
    `loaded` and not superseded by a correction. Selects only the listed columns (never contact or
    free-text columns) plus the lineage columns and the load's correction and delivery time. -#}
{% macro standing_rows(relation, columns) -%}
select
    {%- for c in columns %}
    _r.{{ c }},
    {%- endfor %}
    _r._load_id,
    _r._source_file,
    _r._row_number,
    cast(_r._period as date) as _period,
    _r._loaded_at,
    _l.correction as _correction,
    _l.delivered_at as _delivered_at
from {{ relation }} as _r
inner join {{ source('meta', 'load_ledger') }} as _l
    on _l.load_id = _r._load_id
where _l.status = 'loaded'
  and _l.superseded_by is null
{%- if is_incremental() %}
  and _r._load_id not in (select distinct _load_id from {{ this }})
{%- endif %}
{%- endmacro %}

{#- Incremental staging keyed by the load: a run reads only the loads it has not staged yet
    (standing_rows adds the filter), and the post-hook drops the rows of loads that no longer
    stand (superseded by a correction since). A change of a seed (a mapping fixed) needs
    `dbt build --full-refresh` to re-map rows staged before. -#}
{% macro staging_incremental_config() -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook=["{{ delete_loads_that_no_longer_stand() }}"]
) }}
{%- endmacro %}

{% macro delete_loads_that_no_longer_stand() -%}
delete from {{ this }}
where _load_id not in (
    select load_id from {{ source('meta', 'load_ledger') }}
    where status = 'loaded' and superseded_by is null)
{%- endmacro %}
{#- Units (CATALOGUE §1.3, §3). -#}
{% macro teur_to_eur(expr) -%}
cast(try_cast({{ expr }} as decimal(18, 4)) * 1000 as decimal(18, 2))
{%- endmacro %}

{% macro ha_to_m2(expr) -%}
cast(try_cast({{ expr }} as decimal(18, 6)) * 10000 as decimal(18, 2))
{%- endmacro %}

{% macro m2_to_ha(expr) -%}
cast(try_cast({{ expr }} as decimal(18, 4)) / 10000 as decimal(18, 4))
{%- endmacro %}

{% macro to_decimal(expr, scale=2) -%}
cast(try_cast({{ expr }} as decimal(18, 6)) as decimal(18, {{ scale }}))
{%- endmacro %}

{#- An id or reference as compared: trimmed, upper-cased (CATALOGUE §1). -#}
{% macro clean_ref(expr) -%}
nullif(upper(trim({{ expr }})), '')
{%- endmacro %}

{#- The Europe/Berlin local date of a timestamp (timestamptz, or naive UTC). -#}
{% macro berlin_date(expr) -%}
cast(timezone('Europe/Berlin', cast({{ expr }} as timestamptz)) as date)
{%- endmacro %}
