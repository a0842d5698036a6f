-- Sets one value in the meta table.
-- params: $key VARCHAR, $value VARCHAR
insert into meta (key, value)
values ($key, $value)
on conflict (key) do update set value = excluded.value
