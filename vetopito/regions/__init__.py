"""The director's views of the wellbeing services counties, computed without Streamlit.

`base` (the regions and indicators to choose from, period keys, download rows), `signals` (a
series' SPC frame, phases and targets), `overview` (the region page's tiles and trend chart data),
`compare` (all regions at one period, the funnel plot), `drilldown` (organisational units),
`tiles` (the tiles as markdown and icons: the presentation part), `charts` (Altair) and `maps`
(the choropleth).
"""
