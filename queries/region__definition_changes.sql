-- Dated changes of indicator definitions (drawn on charts and used as SPC rebase points).
-- params: (none)
select
    indicator_id,
    valid_from,
    note_fi,
    note_sv,
    note_en
from indicator_definition_change
order by indicator_id, valid_from
