-- The rows of the test-only table `widget`, by id.
-- params: (none)
select
    id,
    colour,
    size
from widget
order by id
