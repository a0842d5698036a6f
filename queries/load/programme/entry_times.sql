-- When each stored round entry of the programmes $programme_ids was written (an entries file without `written_at` keeps it).
-- params: $programme_ids VARCHAR[]
select
    programme_id,
    subproject_id,
    round_date,
    written_at as stored_written_at
from round_entry
where programme_id in (select unnest($programme_ids))
