-- The data version: incremented by every committed load or undo; part of every cache key.
-- params: (none)
select coalesce(max(cast(value as bigint)), 0) as data_version
from meta
where key = 'data_version'
