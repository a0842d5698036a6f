-- The teams of a coaching cohort: a year, optionally narrowed to one collaborative area ('' = all).
-- params: $cohort_year INTEGER, $yta_id VARCHAR
select unit_id as id
from team
where cohort_year = $cohort_year
    and ($yta_id = '' or yta_id = $yta_id)
order by unit_id
