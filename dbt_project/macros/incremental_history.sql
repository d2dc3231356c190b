{#- Incremental histories (docs/decisions/dbt-incremental-histories.md).

    A history model is an incremental table (`delete+insert` on the key it recomputes). Beside it
    lives `<model>__loads_seen`: the ledger's loads (and whether each stood) as of the model's last
    build, written by a post-hook. A load that is new in the ledger, or whose `is_standing`
    changed since (a correction superseded it), is a *changed load*; a run recomputes only what
    changed loads touch. A second post-hook deletes rows of loads that no longer stand (a record
    that only a superseded file had). When the `__loads_seen` table is missing (first run after an
    upgrade) the model recomputes everything, which is always correct. Seeds and code are not
    tracked here: `regiopool.transform.dbt_build` makes the build a full refresh when the seeds,
    macros, staging or history models changed (fingerprint). -#}

{% macro history_config(unique_key) -%}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=unique_key,
    on_schema_change='fail',
    post_hook=[
        "{{ drop_rows_of_loads_not_standing() }}",
        "{{ remember_loads() }}",
    ]
) }}
{%- endmacro %}

{#- The side table that remembers the loads the model was built from. -#}
{% macro loads_relation() -%}
{{ return(api.Relation.create(database=this.database, schema=this.schema,
                              identifier=this.identifier ~ '__loads_seen', type='table')) }}
{%- endmacro %}

{#- True when the model is built incrementally and knows which loads it was built from; false on
    a full refresh, the first build, or when `__loads_seen` is missing (then: recompute everything). -#}
{% macro history_is_incremental() -%}
{#- unit tests render models without a relation (`this` is none): the full path -#}
{%- if not execute or this is none or not is_incremental() -%}
{{ return(false) }}
{%- endif -%}
{%- set rel = loads_relation() -%}
{{ return(adapter.get_relation(database=rel.database, schema=rel.schema,
                               identifier=rel.identifier) is not none) }}
{%- endmacro %}

{#- The ledger's loads of a partner (optionally some kinds) that are new since the model's last
    build or whose standing changed (load_id, kind, period, is_standing, was_standing: whether it
    stood at the last build, NULL when it is new). -#}
{% macro changed_loads(partner, kinds=none) -%}
select _cl.load_id, _cl.kind, _cl.period, _cl.is_standing, _seen.is_standing as was_standing
from {{ ref('stg_meta__load_ledger') }} as _cl
left join {{ loads_relation() }} as _seen on _seen.load_id = _cl.load_id
where _cl.partner = '{{ partner }}'
  {%- if kinds %}
  and _cl.kind in ({% for k in kinds %}'{{ k }}'{{ ', ' if not loop.last }}{% endfor %})
  {%- endif %}
  and (_seen.load_id is null or _seen.is_standing is distinct from _cl.is_standing)
{%- endmacro %}

{#- The latest standing period of a partner's kinds that the model had seen at its last build. -#}
{% macro seen_through(partner, kinds) -%}
select max(period)
from {{ loads_relation() }}
where partner = '{{ partner }}' and is_standing
  and kind in ({% for k in kinds %}'{{ k }}'{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{#- Post-hook: rows that came from a load that no longer stands go (records that only a superseded
    file delivered; every other affected record has been recomputed by the run). `load_column`
    names the column that holds the load, `loads` a relation of loads with `is_standing` that the
    model already refs (int_quality__workbook_drops: `load_id` and int_quality__loads). -#}
{% macro drop_rows_of_loads_not_standing(load_column='_load_id', loads=none) -%}
{%- if execute %}
delete from {{ this }}
where {{ load_column }} in (
    select load_id from {{ loads if loads is not none else ref('stg_meta__load_ledger') }}
    where not is_standing)
{%- endif %}
{%- endmacro %}

{#- Post-hook: remember the ledger as it was when the model was built. -#}
{% macro remember_loads() -%}
{%- if execute %}
create or replace table {{ loads_relation() }} as
select load_id, partner, kind, period, is_standing
from {{ ref('stg_meta__load_ledger') }}
{%- endif %}
{%- endmacro %}
