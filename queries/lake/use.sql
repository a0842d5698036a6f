-- Makes a database of the connection the default one (the lake, or the connection's own memory).
-- params: (none)
use {lake.alias}
