-- The reporting rounds of one programme by date.
-- params: $programme_id VARCHAR
select
    r.round_date,
    r.name
from reporting_round as r
where r.programme_id = $programme_id
order by r.round_date
