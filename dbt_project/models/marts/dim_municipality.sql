select
    ags::varchar as ags,
    name::varchar as name,
    district_name::varchar as district_name,
    nuts3::varchar as nuts3
from {{ ref('municipalities') }}
