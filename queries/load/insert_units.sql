-- Creates the new units of frame `incoming_changes` at depth `$depth` (parents before children).
-- params: $depth INTEGER
insert into unit (id, kind, parent_id, name_fi, name_sv, name_en, short_fi, short_sv, short_en, org_kind)
select
    id,
    kind,
    parent_id,
    name_fi,
    name_sv,
    name_en,
    short_fi,
    short_sv,
    short_en,
    org_kind
from incoming_changes
where status = 'new'
    and depth = $depth
