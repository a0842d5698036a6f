-- How many committed loads are demo data and how many real (one row; zeros when nothing is loaded).
-- params: (none)
select
    count(*) filter (where is_demo)::integer as demo_loads,
    count(*) filter (where not is_demo)::integer as real_loads
from load
where status = 'committed'
