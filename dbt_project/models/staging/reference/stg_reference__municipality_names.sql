-- Every name (current and former, normalised) under which a municipality is matched; the staging
-- models use the same macro inline (staging reads seeds, not other staging models).
select * from {{ municipality_names_relation() }} as names
