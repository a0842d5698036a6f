-- The size of one block of the open database file, for tests that damage a copy.
-- params: (none)
select block_size
from pragma_database_size()
