-- Every stored event (unit, date, kind, label, indicator) in id order, for the loader's tests (no scope: test only).
-- params: (none)
select
    unit_id,
    event_date,
    kind,
    label,
    indicator_id
from event
order by id
