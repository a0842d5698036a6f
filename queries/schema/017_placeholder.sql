-- Placeholder for the indicator-scope branch's migration 017 (`scope`), which is not on main yet:
-- the migrations must be numbered without a gap, and the programmes are 018. Drop this file when
-- 017_indicator_scope.sql is merged.
select 1;
