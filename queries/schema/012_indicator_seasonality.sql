-- Which indicators have a known yearly pattern (data/reference/indicators.csv column `seasonal`),
-- so that the region page judges them on deseasonalised values. A table of its own: DuckDB
-- refuses ALTER TABLE on `indicator`, which other tables reference by foreign key. The
-- reference checksum is forgotten so that the next `catalog.ensure_reference` fills it.
create table if not exists indicator_seasonality (
    indicator_id varchar primary key references indicator (id),
    seasonal boolean not null
);

delete from meta where key = 'reference_sha256';
