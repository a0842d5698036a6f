-- Reserved for the indicators table of issue 11 item 1 (branch catalogue-data), which brings its
-- own 014: at merge that file replaces this one. Migrations are numbered without gaps, so this
-- branch's 015 needs a 014 to follow; this one changes nothing.
select 1
