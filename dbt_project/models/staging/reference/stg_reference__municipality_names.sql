-- Every name a municipality is known by (current name and former_names, split on `|`), normalised
-- so that ASCII spellings match: one row per (normalised name, AGS).
with municipalities as (
    select * from {{ ref('municipalities') }}
),

names as (
    select ags, name as known_name, false as is_former_name from municipalities
    union all
    select ags, trim(unnest(string_split(former_names, '|'))) as known_name, true as is_former_name
    from municipalities
    where nullif(trim(former_names), '') is not null
)

select distinct
    {{ normalise_label('known_name') }} as name_normalised,
    ags,
    is_former_name,
    contains(known_name, '/') as contains_slash
from names
where {{ normalise_label('known_name') }} is not null
