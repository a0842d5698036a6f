-- Saves the names an analyst mapped to indicators (frame `incoming_aliases`: alias_norm, indicator_id, alias, alias_kind, source) with the load `$load_id` that learnt them.
-- params: $load_id INTEGER
insert into indicator_alias (alias_norm, indicator_id, alias, alias_kind, source, load_id)
select
    alias_norm,
    indicator_id,
    alias,
    alias_kind,
    source,
    $load_id
from incoming_aliases
