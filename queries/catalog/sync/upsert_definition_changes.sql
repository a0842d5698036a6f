-- Inserts or updates the dated definition changes from the registered frame ref_definition_change; returns nothing.
-- params: (none)
merge into indicator_definition_change as stored
using (
    select
        indicator_id,
        cast(valid_from as date),
        note_fi,
        note_sv,
        note_en
    from ref_definition_change
) as given (indicator_id, valid_from, note_fi, note_sv, note_en)
on stored.indicator_id = given.indicator_id
    and stored.valid_from = given.valid_from
when matched then update set
    note_fi = given.note_fi,
    note_sv = given.note_sv,
    note_en = given.note_en
when not matched then insert (indicator_id, valid_from, note_fi, note_sv, note_en)
    values (given.indicator_id, given.valid_from, given.note_fi, given.note_sv, given.note_en)
