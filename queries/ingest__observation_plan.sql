-- Each incoming observation (registered frame `incoming`) beside its stored state: new, changed or unchanged.
-- params: (none)
with stored as (
    select
        i.*,
        o.value as old_value,
        o.numerator as old_numerator,
        o.denominator as old_denominator,
        o.respondents as old_respondents,
        o.flag as old_flag,
        o.load_id as old_load_id,
        o.indicator_id is not null as is_stored
    from incoming as i
    left join observation as o
        on o.indicator_id = i.indicator_id
        and o.unit_id = i.unit_id
        and o.period_start = i.period_start
        and o.grain = i.grain
)
select
    *,
    case
        when not is_stored then 'new'
        when value is not distinct from old_value
            and numerator is not distinct from old_numerator
            and denominator is not distinct from old_denominator
            and respondents is not distinct from old_respondents
            and flag is not distinct from old_flag then 'unchanged'
        else 'changed'
    end as status
from stored
order by row_number
