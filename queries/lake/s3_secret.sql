-- The S3 settings of a lake's data path as the connection's secret (vetopito.backend fills the
-- options from the environment as quoted literals).
-- params: (none)
create or replace secret vetovoima_lake (type s3, url_style 'path', use_ssl {lake.use_ssl}{lake.options})
