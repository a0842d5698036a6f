-- Every sub-project's written entry per reporting round of one programme the user may read, with who wrote it and when; sub-project then round order.
-- params: $programme_id VARCHAR, $readable_programmes VARCHAR[]
select
    e.subproject_id,
    e.round_date,
    e.text,
    e.author_email,
    e.written_at,
    e.load_id
from round_entry as e
where e.programme_id = $programme_id
    and e.programme_id in (select unnest($readable_programmes))
order by e.subproject_id, e.round_date
