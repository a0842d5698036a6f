-- Inserts or updates each indicator's catalogue unit code, respondent minimum and given-name flags from the registered frame ref_indicator_detail; returns nothing.
-- params: (none)
merge into indicator_detail as stored
using (
    select
        indicator_id,
        unit,
        cast(min_respondents as integer),
        name_sv_given,
        name_en_given
    from ref_indicator_detail
) as given (indicator_id, unit, min_respondents, name_sv_given, name_en_given)
on stored.indicator_id = given.indicator_id
when matched then update set
    unit = given.unit,
    min_respondents = given.min_respondents,
    name_sv_given = given.name_sv_given,
    name_en_given = given.name_en_given
when not matched then insert (indicator_id, unit, min_respondents, name_sv_given, name_en_given)
    values (given.indicator_id, given.unit, given.min_respondents, given.name_sv_given, given.name_en_given)
