{{ history_config(['site_id', 'valid_from']) }}
-- The district's sites (sheet `Flaechen`) as a history of its monthly full snapshots.
{{ snapshot_history('stg_lk_leipzig__sites', 'site_id', 'stg_lk_leipzig__quarantined_ids',
                    'sites', 'lk_leipzig', 'workbook') }}
