-- The dated definition changes of one indicator, oldest first.
-- params: $indicator VARCHAR
select
    indicator_id,
    valid_from,
    note_fi,
    note_sv,
    note_en
from indicator_definition_change
where indicator_id = $indicator
order by valid_from
