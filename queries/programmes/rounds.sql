-- The reporting rounds of one programme the user may read, in date order.
-- params: $programme_id VARCHAR, $readable_programmes VARCHAR[]
select
    r.round_date,
    r.name
from reporting_round as r
where r.programme_id = $programme_id
    and r.programme_id in (select unnest($readable_programmes))
order by r.round_date
