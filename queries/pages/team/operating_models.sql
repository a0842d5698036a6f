-- The operating models (toimintamallit) a team produced: title, theme and link.
-- params: $team_id VARCHAR, $scope_units VARCHAR[]
select
    m.team_id,
    m.title,
    m.theme,
    m.link
from operating_model as m
where m.team_id = $team_id
    and m.team_id in (select unnest($scope_units))
order by m.theme, m.title
