-- Writes the scope (national, region or team, and which) of each indicator in the registered frame ref_indicator_scope; returns nothing.
-- params: (none)
insert into indicator_scope (indicator_id, scope_kind, scope_value)
select
    indicator_id,
    scope_kind,
    scope_value
from ref_indicator_scope
