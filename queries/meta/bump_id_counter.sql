-- Reserves $count ids of counter $counter inside the open transaction (vetopito.db.next_ids): a
-- concurrent writer that bumps the same row fails at commit.
-- params: $counter VARCHAR, $count INTEGER
update id_counter
set last_id = last_id + $count
where name = $counter
