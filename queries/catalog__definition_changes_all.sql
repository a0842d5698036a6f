-- Every dated definition change with the indicator's names, in catalogue order then date.
-- params: (none)
select
    c.indicator_id,
    i.name_fi,
    i.name_sv,
    i.name_en,
    c.valid_from,
    c.note_fi,
    c.note_sv,
    c.note_en
from indicator_definition_change as c
join indicator as i
    on i.id = c.indicator_id
order by i.sort_order, c.indicator_id, c.valid_from
