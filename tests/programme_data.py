"""Two small test programmes written into a copy of the demo database with `tests/queries/`
statements (load 0): `TESTI` covers region HVA14 with two goals, three sub-projects, an
indicator, a milestone and an output measure each kind, four rounds and their entries; `MUU`
covers region HVA15. Texts carry markup and a formula, which every page and export must
show as text."""

from __future__ import annotations

import datetime as dt

from tests import sql

D = dt.date
PROGRAMME = "TESTI"
OTHER = "MUU"
ROUNDS = (D(2021, 5, 15), D(2021, 11, 15), D(2022, 9, 30), D(2023, 12, 15))
STATEMENTS = {  # the test statements that write each table
    "programme": "pages/programme/insert_programme",
    "region": "pages/programme/insert_region",
    "goal": "pages/programme/insert_goal",
    "subproject": "pages/programme/insert_subproject",
    "subproject_unit": "pages/programme/insert_subproject_unit",
    "measure": "pages/programme/insert_measure",
    "measure_target": "pages/programme/insert_measure_target",
    "target": "pages/programme/insert_target",
    "output_count": "pages/programme/insert_output_count",
    "round": "pages/programme/insert_round",
    "entry": "pages/programme/insert_entry",
}
HOSTILE = "**lihava** :red[punainen] <b>x</b> =HYPERLINK(\"http://x\")"
ENTRY_1_1 = "Ajanvaraus uudistettu.\n\nHoitoonpääsy 7 vrk:ssa 59 % → 70 %.\n# ei otsikko"


def add_programmes(con) -> None:
    """Write both programmes (and the interim targets of the indicators they follow)."""
    ins = lambda table, /, **p: sql.execute(con, STATEMENTS[table], **p)  # noqa: E731
    ins("programme", id=PROGRAMME, name="Tulevaisuuden sote-keskus (testi)", funder="STM",
        period_start=D(2021, 1, 1), period_end=D(2025, 12, 31), owner_email="pm@example.fi",
        description="Testiohjelma", is_demo=False)
    ins("region", programme_id=PROGRAMME, region_id="HVA14")
    ins("goal", programme_id=PROGRAMME, goal_id="1", position=1, name="Saatavuus, oikea-aikaisuus ja jatkuvuus")
    ins("goal", programme_id=PROGRAMME, goal_id="2", position=2, name=f"Osaaminen {HOSTILE}")
    ins("subproject", programme_id=PROGRAMME, subproject_id="1.1", goal_id="1", position=1,
        name="Hoitoonpääsyn parantaminen", scope_name="Meijän mallin asemat")
    ins("subproject_unit", programme_id=PROGRAMME, subproject_id="1.1", unit_id="HVA14")
    ins("subproject", programme_id=PROGRAMME, subproject_id="1.2", goal_id="1", position=2,
        name="Yhteydenottokanavat", scope_name=None)
    ins("subproject", programme_id=PROGRAMME, subproject_id="2.1", goal_id="2", position=3,
        name=f"Kotihoidon koulutus {HOSTILE}", scope_name=None)
    measure = dict(programme_id=PROGRAMME, method=None, baseline_text=None, baseline_value=None, baseline_date=None,
                   due_date=None, done_date=None, output_kind=None, indicator_id=None, unit_id=None)
    ins("measure", **{**measure, "subproject_id": "1.1", "measure_id": "t3", "position": 1, "kind": "indicator",
                      "name": "T3 lääkäri", "indicator_id": "t3_laakari", "unit_id": "HVA14", "method": "AvoHilmo",
                      "baseline_text": "T3 18 pv", "baseline_value": 18.0, "baseline_date": D(2021, 1, 1)})
    ins("target", indicator_id="t3_laakari", unit_id="HVA14", due_date=D(2022, 12, 31), target_value=10.0,
        label="2022: T3 = 10", source="programme:TESTI/1.1/t3")
    ins("measure", **{**measure, "subproject_id": "1.2", "measure_id": "kanavat", "position": 1, "kind": "milestone",
                      "name": "Yhteydenottokanavat käytössä", "method": "hankeraportointi",
                      "baseline_text": "ei käytössä", "due_date": D(2022, 6, 30)})
    ins("measure", **{**measure, "subproject_id": "1.2", "measure_id": "chat", "position": 2, "kind": "milestone",
                      "name": "Chat käytössä", "method": "hankeraportointi",
                      "due_date": D(2021, 10, 31), "done_date": D(2021, 9, 1)})
    ins("measure", **{**measure, "subproject_id": "2.1", "measure_id": "osallistujat", "position": 1,
                      "kind": "output", "name": "Koulutetut työntekijät", "method": "hankeraportointi",
                      "output_kind": "osallistujat", "baseline_text": "0"})
    for day, value in ((D(2021, 12, 31), 100.0), (D(2022, 12, 31), 300.0)):
        ins("measure_target", programme_id=PROGRAMME, subproject_id="2.1", measure_id="osallistujat",
            target_date=day, planned=value, text=None)
    for start, end, value in ((D(2021, 1, 1), D(2021, 6, 30), 60.0), (D(2021, 7, 1), D(2021, 12, 31), 70.0),
                              (D(2022, 1, 1), D(2022, 12, 31), 120.0)):
        ins("output_count", programme_id=PROGRAMME, subproject_id="2.1", measure_id="osallistujat",
            period_start=start, period_end=end, counted=value)
    for i, day in enumerate(ROUNDS, start=1):
        ins("round", programme_id=PROGRAMME, round_date=day, name=f"{i}. raportti")
    entries = [("1.1", ROUNDS[0], ENTRY_1_1), ("1.2", ROUNDS[0], "Chat-palvelu suunniteltu."),
               ("2.1", ROUNDS[1], f"=SUM(1) Koulutettu 130 työntekijää. {HOSTILE}"),
               ("1.1", ROUNDS[2], "T3 laski 12 päivään.")]
    for sub, day, text in entries:
        ins("entry", programme_id=PROGRAMME, subproject_id=sub, round_date=day, text=text,
            author_email="pm@example.fi", written_at=dt.datetime(day.year, day.month, day.day, 12, 0))
    ins("programme", id=OTHER, name="Toinen ohjelma", funder="EU", period_start=D(2022, 1, 1),
        period_end=D(2024, 12, 31), owner_email="other@example.fi", description=None, is_demo=False)
    ins("region", programme_id=OTHER, region_id="HVA15")
    ins("goal", programme_id=OTHER, goal_id="1", position=1, name="Pito")
    ins("subproject", programme_id=OTHER, subproject_id="1.1", goal_id="1", position=1, name="Muu osahanke",
        scope_name=None)
    ins("round", programme_id=OTHER, round_date=D(2023, 1, 31), name=None)
