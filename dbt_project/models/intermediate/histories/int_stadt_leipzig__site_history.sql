{{ history_config(['site_id', 'valid_from']) }}
-- The city's sites (GeoJSON, monthly full snapshots) as a history: a site missing from a later
-- snapshot is withdrawn from that month on; a site whose feature was set aside is not.
{{ snapshot_history('stg_stadt_leipzig__sites', 'site_id', 'stg_stadt_leipzig__quarantined_ids',
                    'sites', 'stadt_leipzig', 'sites') }}
