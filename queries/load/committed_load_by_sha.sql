-- The latest committed load of a file with this SHA-256 (no row when there is none).
-- params: $sha256 VARCHAR
select
    id as load_id,
    file_name
from load
where sha256 = $sha256
    and status = 'committed'
order by id desc
limit 1
