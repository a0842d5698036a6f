-- Inserts or updates each indicator's catalogue unit code, respondent minimum and given-name flags from the registered frame ref_indicator_detail; returns nothing.
-- params: (none)
insert into indicator_detail (
    indicator_id,
    unit,
    min_respondents,
    name_sv_given,
    name_en_given
)
select
    indicator_id,
    unit,
    cast(min_respondents as integer),
    name_sv_given,
    name_en_given
from ref_indicator_detail
on conflict (indicator_id) do update set
    unit = excluded.unit,
    min_respondents = excluded.min_respondents,
    name_sv_given = excluded.name_sv_given,
    name_en_given = excluded.name_en_given
