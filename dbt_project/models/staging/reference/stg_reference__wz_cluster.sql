-- The wz_cluster seed parsed into columns (see seeds/_seeds.yml); the staging models use the same
-- macro inline (staging reads seeds, not other staging models).
select * from {{ wz_cluster_relation() }} as wz
