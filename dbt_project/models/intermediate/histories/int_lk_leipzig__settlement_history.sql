{{ history_config(['enquiry_id', 'valid_from']) }}
-- The district's settlements (sheet `Ansiedlungen`) as a history of its monthly full snapshots.
{{ snapshot_history('stg_lk_leipzig__settlements', 'enquiry_id', 'stg_lk_leipzig__quarantined_ids',
                    'settlements', 'lk_leipzig', 'workbook') }}
