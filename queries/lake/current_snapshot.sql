-- The id of the lake's newest snapshot (every commit makes one): what the lake holds is known by it (vetopito.backend.lake_state fills the alias).
-- params: (none)
select id from {lake.alias}.current_snapshot()
