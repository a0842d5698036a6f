-- A sub-project's written entry of one round in a test programme.
-- params: $programme_id VARCHAR, $subproject_id VARCHAR, $round_date DATE, $text VARCHAR, $author_email VARCHAR, $written_at TIMESTAMP
insert into round_entry (programme_id, subproject_id, round_date, text, author_email, written_at, load_id)
values ($programme_id, $subproject_id, $round_date, $text, $author_email, $written_at, 0)
