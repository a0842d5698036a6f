-- The embedded file's only maintenance: its write-ahead log written into the file, and the space of deleted rows reclaimed.
-- params: (none)
checkpoint
