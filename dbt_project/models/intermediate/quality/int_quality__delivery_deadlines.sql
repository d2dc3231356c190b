{#- Delivery deadline per partner and reporting month: the partner's n-th working day (default
    5) in Saxony of the following month. The working days are counted over
    stg_meta__saxon_calendar, which the ingestion writes from regiopool.ops.deadlines (the
    project's one Saxon calendar: the delivery watch uses the same module; see
    docs/decisions/quality-saxon-working-days.md). Months from 2010 to the end of next year;
    a month whose following month the calendar does not cover gets no deadline. -#}
with

partner_kinds as (
    select * from {{ ref('int_quality__partner_kinds') }}
),

calendar as (
    select * from {{ ref('stg_meta__saxon_calendar') }}
),

partners as (
    -- the declared deadline where there is one (an undeclared kind has the default)
    select partner, arg_max(deadline_working_days, declared) as working_days
    from partner_kinds
    group by partner
),

working_days as (
    select
        day,
        cast(date_trunc('month', day) as date) as month,
        row_number() over (partition by date_trunc('month', day) order by day) as working_day_no
    from calendar
    where is_working_day
)

select
    partners.partner,
    cast(working_days.month - interval 1 month as date) as month,
    working_days.day as deadline_on
from partners
inner join working_days
    on working_days.working_day_no = partners.working_days
where cast(working_days.month - interval 1 month as date) >= date '2010-01-01'
    and year(working_days.month - interval 1 month) <= year(current_date) + 1
