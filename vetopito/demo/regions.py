"""The region half of the demo data: organisational units and the observations of every region,
the country and the health stations (Esimerkkiaineisto — ei todellisia lukuja).

`units_and_observations()` gives the bytes of

- `10_units.csv` — organisational units (health stations, a home-care area, a ward) in six
  regions: `id,name_fi,name_sv,name_en,parent,kind,org_kind`.
- `20_observations.csv` — canonical long `indicator,unit,period,value,numerator,denominator,respondents`:
  every region-level indicator for the 22 regions and the country (`FI`, aggregated from the
  regions by each indicator's rule), 2019-01 … 2026-10. Access to care, T3, sick leave and
  training participants are monthly (`2024-03`); turnover and the fill rate quarterly
  (`2024Q1`); the Mitä kuuluu? survey yearly (`2024`, 2019–2025); workshop participants only
  in workshop months from 2024. Health stations get monthly T3 and access rows.

deterministically (a generator of its own per series, from one fixed seed).

Levels are realistic, with seasonality (summer dip in access to care and a summer rise in
T3, winter peak in sick leave, summer leavers), noise, and regions that improve
(Varsinais-Suomi 05, Pirkanmaa 08, Pohjois-Karjala 14, Keski-Suomi 15, Pohjois-Pohjanmaa 19)
or worsen (Satakunta 06, Kymenlaakso 10, Etelä-Pohjanmaa 16, Kainuu 20, Lappi 21).

Planted special-cause signals (for the SPC charts and their tests):

1. **Step change** — `t3_laakari`, HVA14 (Pohjois-Karjala): from 2024-03 the level drops to
   about 45 % of what it was (an intervention event on 2024-02-15 marks it, and a process change
   on 2024-03-01 recalculates its limits from then).
2. **Run of 8** — `hoitoonpaasy_pth_hoitaja_7vrk`, HVA13 (Pohjois-Savo, otherwise flat):
   2025-01 … 2025-08 lie 9 percentage points above the usual level.
3. **One outlier** — `sairauspoissaolot_pct` (and the linked `sairauspoissaolot_pv_htv`),
   HVA11 (Etelä-Karjala): 2024-01 is 4.5 percentage points above the usual level (an
   influenza epidemic, noted as an event).
4. **T3 sentinel** — `t3_laakari`, HVA19-kuusamo-tk, 2022-07 = 182 ("no free slot").
"""

from __future__ import annotations

import csv
import io
import math
import random
from typing import Any

from vetopito import catalog

SEED = 20260901
FIRST_MONTH = (2019, 1)
LAST_MONTH = (2026, 10)
SURVEY_YEARS = range(2019, 2026)

IMPROVING = {"05", "08", "14", "15", "19"}
WORSENING = {"06", "10", "16", "20", "21"}


def _rng(*key: Any) -> random.Random:
    """A generator of its own for every series, so adding one series changes no other."""
    return random.Random(":".join(str(k) for k in (SEED, *key)))


def _months() -> list[tuple[int, int]]:
    (y, m), out = FIRST_MONTH, []
    while (y, m) <= LAST_MONTH:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


MONTHS = _months()
N = len(MONTHS)


def _progress(i: int) -> float:
    return i / (N - 1)


def _trend(code: str) -> int:
    return 1 if code in IMPROVING else -1 if code in WORSENING else 0


def fmt(value: float | int | None, decimals: int = 2) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.{decimals}f}"
    return "0" if text in ("-0", "-0.0", "-0.00") else text


def _clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def _regions() -> list[dict[str, str]]:
    with (catalog.REGIONS_DIR / "regions.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# Access to care: national level %, spread between regions, summer dip (pp), trend (pp over
# the whole span), visits per inhabitant per month.
ACCESS = {
    "hoitoonpaasy_pth_laakari_7vrk": (55.0, 9.0, 9.0, 12.0, 0.012),
    "hoitoonpaasy_pth_laakari_14vrk": (72.0, 7.0, 7.0, 10.0, 0.012),
    "hoitoonpaasy_pth_hoitaja_7vrk": (80.0, 5.0, 5.0, 7.0, 0.020),
    "hoitoonpaasy_pth_hoitaja_14vrk": (90.0, 3.5, 3.0, 4.0, 0.020),
    "hoitoonpaasy_mielenterveys_14vrk": (78.0, 7.0, 6.0, 8.0, 0.002),
    "hoitoonpaasy_suun_3kk": (86.0, 6.0, 4.0, 6.0, 0.010),
}
# T3: national days, spread, summer rise (share of level), trend (share of level).
T3 = {
    "t3_laakari": (28.0, 9.0, 0.30, 0.35),
    "t3_hoitaja": (6.0, 2.0, 0.30, 0.35),
    "t3_hammaslaakari": (48.0, 14.0, 0.20, 0.30),
    "t3_suuhygienisti": (32.0, 9.0, 0.20, 0.30),
}
SEASON_ACCESS = {6: 0.45, 7: 1.0, 8: 0.35, 12: 0.25}    # share of the summer dip
SEASON_SICK = {1: 1.0, 2: 0.9, 3: 0.5, 11: 0.3, 12: 0.6, 6: -0.4, 7: -0.9, 8: -0.4}
SEASON_TRAINING = {6: 0.4, 7: 0.05, 8: 0.6, 12: 0.6}
WORKSHOP_MONTHS = {(2024, 2), (2024, 5), (2024, 10), (2025, 2), (2025, 5), (2025, 10),
                   (2026, 2), (2026, 5), (2026, 10)}

REGION_INDICATORS = (*ACCESS, *T3, "sairauspoissaolot_pv_htv", "sairauspoissaolot_pct",
                     "mk_palautuminen_pct", "mk_suosittelu_pct", "vaihtuvuus_pct",
                     "vaihtuvuus_ilman_elakkeita_pct", "tayttoaste_pct", "koulutukset_osallistujat",
                     "tyopajat_osallistujat")


def _staff(population: int) -> int:
    """Staff of a region: roughly 4.5 per 100 inhabitants."""
    return int(population * 0.045)


class _Rows:
    """Observation rows keyed so the country can be aggregated afterwards."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def ratio(self, ind: str, unit: str, period: str, num: int, den: int, respondents: int | None = None):
        num = max(0, min(num, den))
        value = 100.0 * num / den if den else None
        self.rows.append((ind, unit, period, value, num, den, respondents))

    def plain(self, ind: str, unit: str, period: str, value: float | int):
        self.rows.append((ind, unit, period, value, None, None, None))


def _region_series(rows: _Rows, region: dict[str, str]) -> None:
    code, unit = region["code"], catalog.region_id(region["code"])
    pop = int(region["population"])
    staff = _staff(pop)
    trend = _trend(code)
    base_rng = _rng("region", code)
    quality = base_rng.gauss(0, 1)  # one region-wide tendency: good regions are good at many things

    for ind, (level, spread, dip, amplitude, visits) in ACCESS.items():
        rng = _rng(ind, code)
        offset = 0.6 * quality * spread + 0.8 * rng.gauss(0, spread)
        for i, (y, m) in enumerate(MONTHS):
            value = level + offset + trend * amplitude * (_progress(i) - 0.5) \
                - dip * SEASON_ACCESS.get(m, 0.0) + rng.gauss(0, 1.6)
            if ind == "hoitoonpaasy_pth_hoitaja_7vrk" and code == "13" and (2025, 1) <= (y, m) <= (2025, 8):
                value += 9.0  # planted: run of 8
            value = _clamp(value, 5.0, 99.5)
            den = max(20, int(pop * visits * (0.65 if m == 7 else 1.0) * rng.uniform(0.93, 1.07)))
            rows.ratio(ind, unit, f"{y}-{m:02d}", round(den * value / 100), den)

    for ind, (level, spread, summer, share) in T3.items():
        rng = _rng(ind, code)
        own = max(level * 0.35, level - 0.5 * quality * spread + 0.8 * rng.gauss(0, spread))
        for i, (y, m) in enumerate(MONTHS):
            value = own * (1 - trend * share * (_progress(i) - 0.5)) \
                * (1 + summer * SEASON_ACCESS.get(m, 0.0)) * (1 + rng.gauss(0, 0.08))
            if ind == "t3_laakari" and code == "14" and (y, m) >= (2024, 3):
                value *= 0.45  # planted: step change
            rows.plain(ind, unit, f"{y}-{m:02d}", int(round(max(0.0, value))))

    rng = _rng("sick", code)
    sick_base = 6.0 - 0.4 * quality + rng.gauss(0, 0.5)
    for i, (y, m) in enumerate(MONTHS):
        pct = sick_base - trend * 0.9 * (_progress(i) - 0.5) + 1.1 * SEASON_SICK.get(m, 0.0) \
            + rng.gauss(0, 0.22)
        if code == "11" and (y, m) == (2024, 1):
            pct += 4.5  # planted: outlier
        pct = _clamp(pct, 1.0, 20.0)
        den = staff * 21
        num = round(den * pct / 100)
        rows.ratio("sairauspoissaolot_pct", unit, f"{y}-{m:02d}", num, den)
        rows.plain("sairauspoissaolot_pv_htv", unit, f"{y}-{m:02d}",
                   round(100.0 * num / den * 3.65 * (1 + rng.gauss(0, 0.02)), 2))

    rng = _rng("turnover", code)
    leave_base = 3.0 + 0.2 * -quality + rng.gauss(0, 0.35)
    fill_base = 82.0 + 3.0 * quality + rng.gauss(0, 4.0)
    for y in range(FIRST_MONTH[0], LAST_MONTH[0] + 1):
        for q in range(1, 5):
            if (y, 3 * q - 2) > LAST_MONTH:
                continue
            i = MONTHS.index((y, 3 * q - 2))
            period = f"{y}Q{q}"
            heads = int(staff * rng.uniform(0.98, 1.02))
            pct = leave_base - trend * 0.7 * (_progress(i) - 0.5) + (0.7 if q == 3 else 0.0) \
                + rng.gauss(0, 0.25)
            leavers = round(heads * _clamp(pct, 0.5, 15.0) / 100)
            retired = min(leavers, round(heads * rng.uniform(0.006, 0.010)))
            rows.ratio("vaihtuvuus_pct", unit, period, leavers, heads)
            rows.ratio("vaihtuvuus_ilman_elakkeita_pct", unit, period, leavers - retired, heads)
            advertised = max(10, int(staff * 0.03 * rng.uniform(0.8, 1.2)))
            fill = _clamp(fill_base + trend * 8.0 * (_progress(i) - 0.5) + rng.gauss(0, 2.5), 30.0, 100.0)
            rows.ratio("tayttoaste_pct", unit, period, round(advertised * fill / 100), advertised)

    rng = _rng("survey", code)
    recover = 40.0 + 3.0 * quality + rng.gauss(0, 3.0)
    recommend = 55.0 + 4.0 * quality + rng.gauss(0, 4.0)
    for y in SURVEY_YEARS:
        p = (y - SURVEY_YEARS[0]) / (len(SURVEY_YEARS) - 1)
        respondents = int(staff * rng.uniform(0.45, 0.62))
        for ind, base in (("mk_palautuminen_pct", recover), ("mk_suosittelu_pct", recommend)):
            value = _clamp(base + trend * 7.0 * (p - 0.5) + rng.gauss(0, 1.2), 5.0, 95.0)
            rows.ratio(ind, unit, str(y), round(respondents * value / 100), respondents, respondents)

    rng = _rng("training", code)
    for i, (y, m) in enumerate(MONTHS):
        count = staff * 0.012 * SEASON_TRAINING.get(m, 1.0) * (1 + 0.3 * _progress(i)) * rng.uniform(0.7, 1.3)
        rows.plain("koulutukset_osallistujat", unit, f"{y}-{m:02d}", int(round(count)))
        if (y, m) in WORKSHOP_MONTHS:
            teams = 1 + rng.randrange(3)
            rows.plain("tyopajat_osallistujat", unit, f"{y}-{m:02d}",
                       sum(rng.randint(5, 8) for _ in range(teams)))


def _country_rows(rows: _Rows) -> list[tuple]:
    """The country, aggregated from the regions by each indicator's rule."""
    agg = {r["id"]: r["aggregation"] for r in catalog.indicator_frame().iter_rows(named=True)}
    groups: dict[tuple[str, str], list[tuple]] = {}
    for row in rows.rows:
        if row[1].startswith("HVA") and "-" not in row[1]:
            groups.setdefault((row[0], row[2]), []).append(row)
    out = []
    for (ind, period), members in groups.items():
        rule = agg[ind]
        if rule == "ratio":
            num = sum(r[4] for r in members)
            den = sum(r[5] for r in members)
            resp = sum(r[6] for r in members) if members[0][6] is not None else None
            out.append((ind, catalog.COUNTRY_ID, period, 100.0 * num / den, num, den, resp))
        elif rule == "sum":
            out.append((ind, catalog.COUNTRY_ID, period, sum(r[3] for r in members), None, None, None))
        else:
            decimals = 2 if isinstance(members[0][3], float) else 1
            out.append((ind, catalog.COUNTRY_ID, period,
                        round(sum(r[3] for r in members) / len(members), decimals), None, None, None))
    return out


# Organisational units: (region code, name fi, name sv, org_kind). Health stations carry data.
ORG_UNITS = {
    "05": [("Mäntymäen terveysasema", "mantymaki-tk"), ("Runosmäen terveysasema", "runosmaki-tk"),
           ("Salon terveysasema", "salo-tk"), ("Uudenkaupungin terveysasema", "uusikaupunki-tk"),
           ("Loimaan terveysasema", "loimaa-tk"), ("Turun kotihoito, Itä", "turku-kotihoito-ita")],
    "08": [("Hervannan terveysasema", "hervanta-tk"), ("Kalevan terveysasema", "kaleva-tk"),
           ("Nokian terveysasema", "nokia-tk"), ("Kangasalan terveysasema", "kangasala-tk"),
           ("Sastamalan terveysasema", "sastamala-tk"), ("Valkeakosken sairaala, osasto 2", "valkeakoski-osasto-2")],
    "14": [("Joensuun terveysasema", "joensuu-tk"), ("Kontiolahden terveysasema", "kontiolahti-tk"),
           ("Lieksan terveysasema", "lieksa-tk"), ("Nurmeksen terveysasema", "nurmes-tk"),
           ("Outokummun terveysasema", "outokumpu-tk"), ("Kiteen terveysasema", "kitee-tk"),
           ("Joensuun kotihoito", "joensuu-kotihoito")],
    "15": [("Kyllön terveysasema", "kyllo-tk"), ("Palokan terveysasema", "palokka-tk"),
           ("Äänekosken terveysasema", "aanekoski-tk"), ("Jämsän terveysasema", "jamsa-tk"),
           ("Keuruun terveysasema", "keuruu-tk"), ("Saarijärven terveysasema", "saarijarvi-tk")],
    "19": [("Tuiran terveysasema", "tuira-tk"), ("Kaijonharjun terveysasema", "kaijonharju-tk"),
           ("Raahen terveysasema", "raahe-tk"), ("Kuusamon terveysasema", "kuusamo-tk"),
           ("Ylivieskan terveysasema", "ylivieska-tk"), ("Oulun kotihoito, Pohjoinen", "oulu-kotihoito-pohjoinen")],
    "90": [("Kalasataman terveysasema", "kalasatama-tk"), ("Vuosaaren terveysasema", "vuosaari-tk"),
           ("Malmin terveysasema", "malmi-tk"), ("Kannelmäen terveysasema", "kannelmaki-tk"),
           ("Töölön terveysasema", "toolo-tk"), ("Myllypuron terveysasema", "myllypuro-tk"),
           ("Laakson sairaala, osasto 5", "laakso-osasto-5")],
}
_KIND_WORDS = (("terveysasema", "health_station", "hälsostation", "health station"),
               ("kotihoito", "home_care", "hemvård", "home care"),
               ("osasto", "ward", "avdelning", "ward"))


def _org_units() -> list[dict[str, str]]:
    out = []
    for code, names in ORG_UNITS.items():
        for name, slug in names:
            kind, sv, en = next((k, s, e) for word, k, s, e in _KIND_WORDS if word in name)
            out.append({"id": f"HVA{code}-{slug}", "name_fi": name, "name_sv": f"{name} ({sv})",
                        "name_en": f"{name} ({en})", "parent": f"HVA{code}", "kind": "org_unit",
                        "org_kind": kind, "_code": code})
    return out


def _org_series(rows: _Rows, units: list[dict[str, str]], by_region: dict[str, dict[tuple, tuple]]) -> None:
    """T3 and access rows for health stations, scattered around their region's series."""
    stations = [u for u in units if u["org_kind"] == "health_station"]
    per_region: dict[str, int] = {}
    for u in stations:
        per_region[u["_code"]] = per_region.get(u["_code"], 0) + 1
    for u in stations:
        code, uid = u["_code"], u["id"]
        share = 1.0 / per_region[code]
        rng = _rng("org", uid)
        t3_factor = math.exp(rng.gauss(0, 0.35))
        access_shift = rng.gauss(0, 5.0)
        for ind in ("hoitoonpaasy_pth_laakari_7vrk", "hoitoonpaasy_pth_laakari_14vrk",
                    "hoitoonpaasy_pth_hoitaja_7vrk", "hoitoonpaasy_pth_hoitaja_14vrk"):
            for (y, m) in MONTHS:
                period = f"{y}-{m:02d}"
                region_row = by_region[code][(ind, period)]
                den = max(10, int(region_row[5] * share * rng.uniform(0.7, 1.3)))
                value = _clamp(region_row[3] + access_shift + rng.gauss(0, 4.0), 2.0, 100.0)
                rows.ratio(ind, uid, period, round(den * value / 100), den)
        for ind in ("t3_laakari", "t3_hoitaja"):
            for (y, m) in MONTHS:
                period = f"{y}-{m:02d}"
                value = by_region[code][(ind, period)][3] * t3_factor * (1 + rng.gauss(0, 0.15))
                if uid == "HVA19-kuusamo-tk" and ind == "t3_laakari" and (y, m) == (2022, 7):
                    value = 182  # planted: "no free slot" sentinel
                rows.plain(ind, uid, period, int(round(max(0.0, value))))


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8, comma-separated, one `\\n` per line: how every demo file is written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def units_and_observations() -> dict[str, bytes]:
    """`10_units.csv` and `20_observations.csv` as bytes (pure: no I/O besides reading the reference files)."""
    rows = _Rows()
    regions = _regions()
    for region in regions:
        _region_series(rows, region)
    by_region: dict[str, dict[tuple, tuple]] = {}
    for row in rows.rows:
        by_region.setdefault(row[1][3:], {})[(row[0], row[2])] = row
    units = _org_units()
    country = _country_rows(rows)
    _org_series(rows, units, by_region)
    decimals = {r["id"]: int(r["decimals"]) for r in catalog.indicator_frame().iter_rows(named=True)}

    def obs_line(r: tuple) -> list[str]:
        ind, unit, period, value, num, den, resp = r
        value_text = fmt(value, 2) if isinstance(value, float) and num is not None else \
            fmt(value, max(2, decimals[ind])) if isinstance(value, float) else fmt(value)
        return [ind, unit, period, value_text, fmt(num), fmt(den), fmt(resp)]

    order = {ind: i for i, ind in enumerate(REGION_INDICATORS)}
    all_rows = sorted(country + rows.rows, key=lambda r: (order[r[0]], r[1], r[2]))
    return {
        "10_units.csv": csv_bytes(["id", "name_fi", "name_sv", "name_en", "parent", "kind", "org_kind"],
                                  [[u["id"], u["name_fi"], u["name_sv"], u["name_en"], u["parent"], u["kind"],
                                    u["org_kind"]] for u in units]),
        "20_observations.csv": csv_bytes(
            ["indicator", "unit", "period", "value", "numerator", "denominator", "respondents"],
            [obs_line(r) for r in all_rows]),
    }
