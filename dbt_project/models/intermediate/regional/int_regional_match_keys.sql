{#-
  The matching keys every record carries (CATALOGUE §1, §1.1): one row per record and key.
  A record carries the names, register entries and references of all its current rows (its
  enquiry row and its settlement row).
    key_kind = 'name'       normalised company name (int_regional_name_keys)
    key_kind = 'register'   `TYPE|number|SUFFIX|court`, the court taken from the other entries of
                            the same type, number and suffix when the entry names none and those
                            name exactly one court; an entry without a court whose others name
                            several courts matches nothing (no row)
    key_kind = 'reference'  a referenced record, `<partner>:<ID>` (id trimmed, upper-cased)
-#}
with

enquiries as (
    select * from {{ ref('int_enquiry_records') }}
),

settlements as (
    select * from {{ ref('int_settlement_records') }}
),

name_keys as (
    -- each spelling is normalised once, when it is first seen
    select company_name, match_key from {{ ref('int_regional_name_keys') }}
),

enquiry_names as (
    -- a record has one enquiry row: its name key needs no de-duplication
    select
        e.record_key,
        'name' as key_kind,
        d.match_key
    from enquiries as e
    inner join name_keys as d on e.company_name = d.company_name
    where d.match_key is not null
),

settlement_names as (
    -- its settlement rows (one or several) add the keys its enquiry row does not have
    select distinct
        s.record_key,
        'name' as key_kind,
        d.match_key
    from settlements as s
    inner join name_keys as d on s.company_name = d.company_name
    where d.match_key is not null
),

normalised_names as (
    -- (a distinct over all records' names was a second of every build at --scale 1000)
    select * from enquiry_names
    union all
    select * from settlement_names
    anti join enquiry_names using (record_key, match_key)
),

register_cells as (
    select
        record_key,
        register_raw,
        register_court_raw
    from enquiries
    where nullif(trim(register_raw), '') is not null
),

distinct_cells as materialized (
    -- each distinct cell (and court field) is parsed once
    select
        register_raw,
        register_court_raw,
        {{ register_entry_id('register_raw') }} as entry_id,
        {{ register_court_text('register_raw', 'register_court_raw') }} as court_text
    from (select distinct register_raw, register_court_raw from register_cells)
),

court_texts as materialized (
    -- and each distinct court text is normalised once (a million cells name a few hundred courts)
    select
        court_text,
        {{ register_court_from_text('court_text') }} as court
    from (select distinct court_text from distinct_cells where entry_id is not null)
),

register_entries as (
    -- one row per record: a record has one register cell (its enquiry row's), and each cell
    -- and court text is parsed once above
    select
        c.record_key,
        d.entry_id,
        t.court
    from register_cells as c
    inner join distinct_cells as d
        on c.register_raw = d.register_raw
        and c.register_court_raw is not distinct from d.register_court_raw
    left join court_texts as t on t.court_text = d.court_text
),

parsed_entries as (
    select * from register_entries where entry_id is not null
),

courts_per_entry as (
    select
        entry_id,
        count(distinct court) as named_courts,
        min(court) as only_court
    from parsed_entries
    group by entry_id
),

resolved_entries as (
    select
        p.record_key,
        'register' as key_kind,
        p.entry_id || '|' || case
            when p.court is not null then p.court
            when c.named_courts = 1 then c.only_court
            else ''
        end as match_key
    from parsed_entries as p
    inner join courts_per_entry as c on p.entry_id = c.entry_id
    -- an entry without a court matches nothing when the others name several courts
    where p.court is not null or c.named_courts <= 1
),

references_raw as (
    select record_key, unnest(referenced_keys) as ref from enquiries
    union all
    select record_key, unnest(referenced_keys) as ref from settlements
),

references_normalised as (
    select distinct
        record_key,
        'reference' as key_kind,
        {{ reference_key("split_part(ref, ':', 1)", "substr(ref, strpos(ref, ':') + 1)") }}
            as match_key
    from references_raw
    where strpos(ref, ':') > 0
)

select record_key, key_kind, match_key from normalised_names
union all
select record_key, key_kind, match_key from resolved_entries
union all
select record_key, key_kind, match_key from references_normalised where match_key is not null
