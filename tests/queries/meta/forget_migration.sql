-- Forgets that migration $version was applied, so that the next connection applies it again (tests of a migration on a file made before it); returns nothing.
-- params: $version INTEGER
delete from schema_version
where version = $version
