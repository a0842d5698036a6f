-- Attaches a DuckDB database file read-only under an alias, beside the connection's own databases
-- (`vetopito copy` reads its source so; vetopito.backend.attach_file fills the quoted path and the
-- alias; ATTACH takes no $parameters).
-- params: (none)
attach {lake.location} as {lake.alias} (read_only)
