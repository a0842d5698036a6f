-- Detaches the database a connection attached under an alias (vetopito.backend.detach fills it).
-- params: (none)
detach database if exists {lake.alias}
