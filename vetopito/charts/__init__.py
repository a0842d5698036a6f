"""What every chart shares (`base`: colours, locale, formats). The charts themselves sit with
their domain: `vetopito.regions.charts` (the director's) and `vetopito.teams.charts` (the coach's).
"""
