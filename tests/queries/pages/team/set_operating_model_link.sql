-- Stores a team's operating-model link as an old database may hold it (written before the https check), for a test; returns nothing.
-- params: $link VARCHAR, $team_id VARCHAR
update operating_model set link = $link where team_id = $team_id
