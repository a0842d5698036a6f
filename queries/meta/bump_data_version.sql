-- Increments the data version (run inside the transaction of a load or an undo).
-- params: (none)
insert into meta (key, value)
values ('data_version', '1')
on conflict (key) do update set value = cast(cast(meta.value as bigint) + 1 as varchar)
