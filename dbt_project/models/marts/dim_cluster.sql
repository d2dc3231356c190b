select
    cluster_code::varchar as cluster_code,
    name_de::varchar as name_de
from {{ ref('clusters') }}
