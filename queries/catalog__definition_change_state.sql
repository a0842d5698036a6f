-- Every stored dated definition change as the definition-changes format compares it: indicator_id, valid_from, notes fi/sv/en.
-- params: (none)
select
    indicator_id,
    valid_from,
    note_fi,
    note_sv,
    note_en
from indicator_definition_change
order by indicator_id, valid_from
