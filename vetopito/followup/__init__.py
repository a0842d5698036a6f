"""A development programme's follow-up as the pages and the report show it (issue 13): the board
(goals and sub-projects down, reporting rounds across, a status in every cell), a sub-project's
measures, and the follow-up report (DOCX, PDF, CSV for Finnish Excel). Pure: queries in through a
`Runner`, dataclasses, Altair charts and bytes out; no Streamlit.

- `model`: `programme_followup(run, programme_id, lang, today)` → `Followup` (goals, sub-projects,
  measures with interim targets, indicator series after suppression, output counts, rounds, entries);
- `status`: a measure's and a sub-project's status at a date (milestone done / due / late;
  indicator on or off its interim target with the SPC signal; output count against plan);
- `board`: the board as one HTML table (icon, colour and text in every cell; the round's entry
  on click and hover), every data text escaped;
- `charts`: a measure's chart (SPC of the indicator with baseline, interim targets and rounds;
  outputs against plan) and the milestones' timeline;
- `report`: the follow-up of a chosen round as DOCX, PDF and CSV.
"""
