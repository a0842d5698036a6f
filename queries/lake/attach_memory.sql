-- Attaches a new in-memory database under an alias: a lake connection's scratch database, where a
-- new lake's schema is built (vetopito.backend.scratch fills the alias; ATTACH takes no $parameters).
-- params: (none)
attach ':memory:' as {lake.alias}
