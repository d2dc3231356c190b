-- The wz_cluster seed is loaded one line per row (see seeds/_seeds.yml): the prefix is the text
-- before the first comma, the cluster code the text between the first and the second comma.
with lines as (
    select "wz_prefix,cluster_code,wz_title_de" as line from {{ ref('wz_cluster') }}
)

select
    trim(split_part(line, ',', 1)) as wz_prefix,
    trim(split_part(line, ',', 2)) as cluster_code,
    trim(both '"' from trim(substr(line, length(split_part(line, ',', 1)) + length(split_part(line, ',', 2)) + 3)))
        as wz_title_de
from lines
where trim(line) <> ''
