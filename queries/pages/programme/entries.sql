-- Every sub-project's written entry of one programme per reporting round, by round: text, who wrote it and when.
-- params: $programme_id VARCHAR
select
    e.subproject_id,
    e.round_date,
    e.text,
    e.author_email,
    e.written_at
from round_entry as e
where e.programme_id = $programme_id
order by e.subproject_id, e.round_date
