-- Attaches the lake named by VETOVOIMA_DB (vetopito.backend.open_connection fills the quoted
-- location, the alias and the options DATA_PATH/READ_ONLY; ATTACH takes no $parameters).
-- params: (none)
attach {lake.location} as {lake.alias}{lake.options}
