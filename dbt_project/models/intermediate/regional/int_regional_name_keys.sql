{#-
  Every company-name spelling the records have carried, with its name key (CATALOGUE §1.1,
  macro `normalise_company_name`): one row per spelling.
  Incremental: a build normalises only the spellings it has not seen before (at --scale 1000 a
  monthly build meets about 2 M spellings, a few ten thousand of them new; normalising them all
  was 6 CPU seconds of every build). A spelling no record carries any longer stays and matches
  nothing. A change of the normalisation (the macros) makes the next build a full refresh
  (`regiopool.transform`, fingerprint of the incremental inputs).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail'
) }}
with

enquiries as (
    select * from {{ ref('int_enquiry_records') }}
),

settlements as (
    select * from {{ ref('int_settlement_records') }}
),

spellings as (
    select company_name from enquiries where company_name is not null
    union all
    select company_name from settlements where company_name is not null
),

new_spellings as (
    -- the spellings seen before go first, then the few new ones are de-duplicated (not all of
    -- the records' 3 M names)
    select distinct company_name from spellings
    {%- if is_incremental() %}
    anti join {{ this }} as seen using (company_name)
    {%- endif %}
)

select
    company_name,
    {{ normalise_company_name('company_name') }} as match_key
from new_spellings
