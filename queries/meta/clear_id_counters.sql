-- Empties the id counters, so that a whole database copied in brings its own (vetopito.transfer).
-- params: (none)
delete from id_counter
