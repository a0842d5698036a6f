-- The dated definition changes (of the indicators the user sees) of one indicator ($indicator), or of every indicator when it is null, with the indicator's names: drawn on charts, used as SPC rebase points, listed on the catalogue page; catalogue order, then date.
-- params: $indicator VARCHAR, $scope_indicators VARCHAR[]
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
where (c.indicator_id = $indicator or $indicator is null)
    and c.indicator_id in (select unnest($scope_indicators))
order by i.sort_order, c.indicator_id, c.valid_from
