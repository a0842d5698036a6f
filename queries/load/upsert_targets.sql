-- Writes the new and changed targets of frame `incoming_changes` as load `$load_id`.
-- params: $load_id INTEGER
merge into "target" as stored
using (
    select
        indicator_id,
        unit_id,
        due_date,
        target_value,
        label,
        source,
        $load_id
    from incoming_changes
) as given (indicator_id, unit_id, due_date, target_value, "label", "source", load_id)
on stored.indicator_id = given.indicator_id
    and stored.unit_id = given.unit_id
    and stored.due_date = given.due_date
when matched then update set
    target_value = given.target_value,
    label = given.label,
    source = given.source,
    load_id = given.load_id
when not matched then insert (indicator_id, unit_id, due_date, target_value, "label", "source", load_id)
    values (given.indicator_id, given.unit_id, given.due_date, given.target_value, given."label", given."source", given.load_id)
