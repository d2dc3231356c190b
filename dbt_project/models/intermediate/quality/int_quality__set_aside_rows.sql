{#- Every partner's set-aside rows, by location and reason only (never the row's text).
    A new partner adds its stg_quality__set_aside_<partner> model and one line here. -#}
with

set_aside as (
    select * from {{ ref('stg_quality__set_aside_stadt_leipzig') }}
    union all
    select * from {{ ref('stg_quality__set_aside_lk_leipzig') }}
    union all
    select * from {{ ref('stg_quality__set_aside_irl') }}
)

select * from set_aside
