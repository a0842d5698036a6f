-- region_series kept a computed national (FI) or YTA figure for a period that only some regions had
-- loaded (one region's early month showed as the whole country's). The rule now: a computed figure
-- only for a period in which every region (kind 'region') of FI, or every region of that YTA, has a
-- value; a reported FI/YTA figure is always kept. The derived tables are emptied here and rebuilt
-- for every indicator, in this migration's transaction, by vetopito.aggregates.refresh (the one
-- statement queries/region__insert_series.sql), as the directive below asks of vetopito.db.migrate.
-- then: rebuild derived tables

delete from region_series;
