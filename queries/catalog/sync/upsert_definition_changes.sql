-- Inserts or updates the dated definition changes from the registered frame ref_definition_change; returns nothing.
-- params: (none)
insert into indicator_definition_change (
    indicator_id,
    valid_from,
    note_fi,
    note_sv,
    note_en
)
select
    indicator_id,
    cast(valid_from as date),
    note_fi,
    note_sv,
    note_en
from ref_definition_change
on conflict (indicator_id, valid_from) do update set
    note_fi = excluded.note_fi,
    note_sv = excluded.note_sv,
    note_en = excluded.note_en
