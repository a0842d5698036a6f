"""The demo development programme (issue 13): a synthetic programme in the shape of a region's
follow-up report — benefit goals, eight numbered sub-projects, measures linked to the demo
series of Pohjois-Karjala (HVA14), yes/no milestones, output counts, four reporting rounds and a
short made-up entry per sub-project and round. Every name and text here is invented for the
demo (no real report's text) and the programme says it is demo data; it is written as the
programme files (`80_…` … `86_…`, comma-separated, English headers) and loaded through them
by the demo build like every other seed file.

    render() -> dict[str, bytes]   # file name → CSV
"""

from __future__ import annotations

from vetopito.demo.regions import csv_bytes

PROGRAMME_ID = "DEMO-TULEVAISUUS"
MANAGER = "hankepaallikko@example.fi"
ROUNDS = [("2021-05-15", "Kevät 2021"), ("2021-11-15", "Syksy 2021"), ("2022-09-30", "Syksy 2022"),
          ("2023-12-15", "Loppuraportti 2023")]

GOALS = [("G1", "Saatavuus, oikea-aikaisuus ja jatkuvuus"), ("G2", "Laatu ja vaikuttavuus"),
         ("G3", "Osaava ja hyvinvoiva henkilöstö")]

# subproject, goal, name, scope name, units
SUBPROJECTS = [
    ("1.1", "G1", "Ajanvarauksen uudistus", "Mallin asemat",
     ["HVA14-joensuu-tk", "HVA14-kontiolahti-tk", "HVA14-lieksa-tk"]),
    ("1.2", "G1", "Hoitajavastaanoton työnjako", "", ["HVA14-kitee-tk"]),
    ("1.3", "G1", "Digitaaliset yhteydenottokanavat", "Kaikki asemat", []),
    ("1.4", "G1", "Etävastaanotot", "", []),
    ("2.1", "G2", "Kotihoidon osaamisen vahvistaminen", "Kotihoidon alueet", ["HVA14-joensuu-kotihoito"]),
    ("2.2", "G2", "Asiakaspalautteen hyödyntäminen", "", []),
    ("3.1", "G3", "Lähijohtamisen valmennus", "", []),
    ("3.2", "G3", "Perehdytyksen yhteinen malli", "", []),
]

MEASURE_HEADER = ["programme", "subproject", "measure", "kind", "name", "indicator", "unit", "method",
                  "baseline_text", "baseline_value", "baseline_date", "due_date", "done_date", "output_kind",
                  "targets"]
MEASURES = [
    ["1.1", "T3", "indicator", "T3 lääkäri, Joensuun asema", "t3_laakari", "HVA14-joensuu-tk", "AvoHilmo",
     "Lähtötaso keväällä 2021: noin 20 päivää", "20", "2021-03-31", "", "", "", "2022-12-31: 18; 2023-12-31: 14"],
    ["1.1", "M1", "milestone", "Uusi ajanvarausmalli käytössä mallin asemilla", "", "", "hankeraportointi",
     "", "", "", "2022-06-30", "2022-05-20", "", "2022-06-30: mallin asemat"],
    ["1.2", "H7", "indicator", "Hoitajalle 7 vrk:ssa, Kiteen asema", "hoitoonpaasy_pth_hoitaja_7vrk",
     "HVA14-kitee-tk", "AvoHilmo", "Lähtötaso: kaksi kolmesta 7 vrk:ssa", "66,7", "2020-12-01", "", "", "",
     "2022-12-31: 75; 2023-12-31: 85"],
    ["1.2", "M1", "milestone", "Hoitajavastaanoton työnjako sovittu", "", "", "hankeraportointi", "", "", "",
     "2021-10-31", "2021-12-01", "", ""],
    ["1.3", "M1", "milestone", "Takaisinsoitto käytössä kaikilla asemilla", "", "", "hankeraportointi", "", "",
     "", "2022-09-01", "2022-06-15", "", ""],
    ["1.3", "M2", "milestone", "Chat-palvelu käytössä", "", "", "hankeraportointi", "", "", "", "2023-06-30", "",
     "", ""],
    ["1.4", "L7", "indicator", "Lääkärille 7 vrk:ssa, koko alue", "hoitoonpaasy_pth_laakari_7vrk", "HVA14",
     "AvoHilmo", "Lähtötaso vuoden 2020 tasolla", "", "", "", "", "", "2022-12-31: 40; 2023-12-31: 50"],
    ["2.1", "O1", "output", "Koulutuksiin osallistuneet kotihoidon työntekijät ja esihenkilöt", "", "",
     "hankeraportointi", "", "", "", "", "", "osallistujat", "2022-12-31: 250; 2023-12-31: 320"],
    ["2.2", "O1", "output", "Palautetyöpajat", "", "", "hankeraportointi", "", "", "", "", "", "työpajat",
     "2023-12-31: 50"],
    ["2.2", "M1", "milestone", "Palautekysely käytössä kaikissa palveluissa", "", "", "asiakaspalaute", "", "", "",
     "2022-05-15", "2022-05-10", "", ""],
    ["3.1", "S1", "indicator", "Sairauspoissaolot, koko alue", "sairauspoissaolot_pv_htv", "HVA14",
     "henkilöstöraportointi", "", "", "", "", "", "", "2023-12-31: 25"],
    ["3.1", "O1", "output", "Johtamisen valmennuspäivät", "", "", "hankeraportointi", "", "", "", "", "",
     "valmennuspäivät", "2022-12-31: 8; 2023-12-31: 12"],
    ["3.2", "M1", "milestone", "Perehdytysmalli hyväksytty", "", "", "hankeraportointi", "", "", "",
     "2022-09-30", "", "", ""],
    ["3.2", "O1", "output", "Perehdytyksen verkkokoulutukset", "", "", "hankeraportointi", "", "", "", "", "",
     "verkkokoulutukset", "2023-12-31: 13"],
]

# subproject, measure, period start, period end, value
OUTPUT_COUNTS = [
    ("2.1", "O1", "2021-01-01", "2021-10-31", 90), ("2.1", "O1", "2021-11-01", "2022-08-31", 130),
    ("2.1", "O1", "2022-09-01", "2023-11-30", 105),
    ("2.2", "O1", "2021-01-01", "2021-10-31", 12), ("2.2", "O1", "2021-11-01", "2022-08-31", 21),
    ("2.2", "O1", "2022-09-01", "2023-11-30", 24),
    ("3.1", "O1", "2021-01-01", "2021-10-31", 2), ("3.1", "O1", "2021-11-01", "2022-08-31", 3),
    ("3.1", "O1", "2022-09-01", "2023-11-30", 5),
    ("3.2", "O1", "2022-09-01", "2023-11-30", 13),
]

# one short made-up entry per sub-project and round (in the order of ROUNDS)
ENTRIES = {
    "1.1": ["Nykytila kartoitettu mallin asemilla.\nAjanvarauksen pullonkaulat tunnistettu työpajassa.",
            "Uusi ajanvarausmalli suunniteltu; pilotti alkoi kahdella asemalla.",
            "Malli käytössä kaikilla kolmella mallin asemalla.\nT3 on laskenut pilottiasemilla.",
            "Malli vakiintunut. Levitys muille asemille sovittu vuodelle 2024."],
    "1.2": ["Hoitajavastaanottojen työnjaosta kerätty toiveet henkilöstöltä.",
            "Työnjako sovittiin joulukuun alussa, kuukauden myöhässä suunnitellusta.",
            "Hoitajan vastaanottoaikoja lisätty; jonoa purettu.", "Hoitoonpääsy parantunut tavoitteen suuntaan."],
    "1.3": ["Yhteydenottokanavien vaihtoehdot selvitetty.", "Takaisinsoiton hankinta käynnissä.",
            "Takaisinsoitto käytössä kaikilla asemilla kesäkuusta alkaen.\nChat-palvelun hankinta viivästyi.",
            "Chat-palvelu pilotoitu yhdellä asemalla; käyttöönotto jatkuu."],
    "1.4": ["Etävastaanottojen toimintamalli luonnosteltu.", "Etävastaanotot aloitettu kolmella asemalla.",
            "Etävastaanottojen osuus kasvanut; asiakaspalaute myönteistä.", "Etävastaanotot osa arkea."],
    "2.1": ["Koulutussuunnitelma tehty kotihoidon alueille.", "Koulutuksiin osallistunut 90 työntekijää.",
            "Osallistujia yhteensä 220; esihenkilöiden valmennus alkoi.",
            "Koulutuksiin osallistunut yli 320 kotihoidon työntekijää ja esihenkilöä."],
    "2.2": ["Palautteen keruun tavat kartoitettu.", "Palautetyöpajoja pidetty 12.",
            "Palautekysely käytössä kaikissa palveluissa toukokuusta alkaen.",
            "Työpajoja pidetty yhteensä 57; palautteet käsitellään tiimeissä kuukausittain."],
    "3.1": ["Valmennuksen sisällöt suunniteltu yhdessä lähijohtajien kanssa.", "Kaksi valmennuspäivää pidetty.",
            "Valmennuspäiviä yhteensä viisi; vertaisryhmät aloittivat.",
            "Valmennus päättyi; vertaisryhmät jatkavat omin voimin."],
    "3.2": ["Perehdytyksen nykykäytännöt koottu.", "Yhteisen mallin luonnos kommentoitavana.",
            "Mallin hyväksyminen siirtyi; verkkokoulutusten teko alkoi.",
            "Verkkokoulutuksia valmistunut 13; malli odottaa hyväksyntää."],
}


def render() -> dict[str, bytes]:
    """The demo programme's files by name, in the order they load."""
    pid = PROGRAMME_ID
    return {
        "80_programme.csv": csv_bytes(
            ["programme", "name", "funder", "period_start", "period_end", "owner", "regions", "description"],
            [[pid, "Esimerkkiohjelma: Tulevaisuuden sote-keskus", "Esimerkkirahoittaja", "2021-01-01",
              "2023-12-31", MANAGER, "HVA14",
              "Esimerkkiaineisto — ei todellisia lukuja. Keksitty ohjelma sovelluksen esittelyyn."]]),
        "81_programme_goals.csv": csv_bytes(["programme", "goal", "position", "name"],
                                            [[pid, g, i, name] for i, (g, name) in enumerate(GOALS, start=1)]),
        "82_subprojects.csv": csv_bytes(
            ["programme", "subproject", "goal", "position", "name", "scope_name", "units"],
            [[pid, s, g, i, name, scope, "; ".join(units)]
             for i, (s, g, name, scope, units) in enumerate(SUBPROJECTS, start=1)]),
        "83_programme_measures.csv": csv_bytes(MEASURE_HEADER, [[pid, *m] for m in MEASURES]),
        "84_reporting_rounds.csv": csv_bytes(["programme", "round_date", "name"],
                                             [[pid, day, name] for day, name in ROUNDS]),
        "85_output_counts.csv": csv_bytes(["programme", "subproject", "measure", "period_start", "period_end",
                                           "value"], [[pid, *c] for c in OUTPUT_COUNTS]),
        "86_round_entries.csv": csv_bytes(
            ["programme", "subproject", "round_date", "text", "author", "written_at"],
            [[pid, sub, day, texts[i], MANAGER, f"{day} 12:00"]
             for sub, texts in ENTRIES.items() for i, (day, _) in enumerate(ROUNDS)]),
    }
