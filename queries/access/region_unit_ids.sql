-- Every unit inside the given regions: the regions, their organisational units and teams
-- (teams by their place in the tree and by team.region_id).
-- params: $region_ids VARCHAR[]
with recursive inside(id) as (
    select id
    from unit
    where kind = 'region'
        and id in (select unnest($region_ids))
    union
    select child.id
    from unit as child
    join inside
        on child.parent_id = inside.id
),
region_teams as (
    select unit_id as id
    from team
    where region_id in (select unnest($region_ids))
)
select id from inside
union
select id from region_teams
order by id
