-- Records that migration $version has been applied.
-- params: $version INTEGER
insert into schema_version (version) values ($version)
