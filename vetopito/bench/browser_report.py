"""How `vetopito bench --browser` prints its report (`browser.run_browser_benchmark`)."""

from __future__ import annotations

from typing import Any

from vetopito.bench.browser import BUDGET


def _mark(over: bool) -> str:
    return "OVER BUDGET" if over else "ok"


def format_browser_report(report: dict[str, Any]) -> str:
    floor = report["floor_ms"]
    floor_cpu = report.get("floor_cpu_s")
    lines = [f"browser: a new session until every element is drawn, headless Chromium, "
             f"median of {report['runs']} (database {report['database']})",
             f"  floor: one Altair chart      {floor:>7.0f} ms" + (f"   {floor_cpu:.2f} CPU s" if floor_cpu else ""),
             ""]
    lines.append(f"  {'page':<14}{'new session':>12}{'× floor':>9}   {'widget change':>24}"
                 f"{'':>17}{'CPU s':>7}{'× floor':>9}")
    for path, f in report["pages"].items():
        ratio_over = f["ratio"] is not None and f["ratio"] > BUDGET["new_session_ratio"]
        widget = (f"{f['widget_ms']:>6.0f} ms ({f['widget']})" if f["widget_ms"] is not None
                  else f"{'–':>6}    ({f['widget'] or 'no widget'})")
        widget_over = f["widget_ms"] is not None and f["widget_ms"] > BUDGET["widget_ms"]
        cpu = (f"{f['cpu_s']:>7.2f}{f['cpu_ratio']:>9.2f}" if f.get("cpu_ratio") is not None else "")
        lines.append(f"  {path:<14}{f['new_session_ms']:>9.0f} ms{f['ratio']:>9.2f}  {_mark(ratio_over):<12}"
                     f"{widget:<38}{_mark(widget_over) if f['widget_ms'] is not None else '':<12}{cpu}")
    fragments = [(path, f) for path, f in report["pages"].items() if f.get("fragment_widget")]
    if fragments:
        lines += ["", "  a change inside a fragment (reruns only that part of the page)"]
        for path, f in fragments:
            ms = f["fragment_ms"]
            lines.append(f"  {path:<14}{ms:>9.0f} ms  ({f['fragment_widget']})  {_mark(ms > BUDGET['widget_ms'])}"
                         if ms is not None else f"  {path:<14}{'–':>9}     ({f['fragment_widget']})")
    step = report["present_step_ms"]
    if step is not None:
        lines += ["", f"  presentation step (ArrowRight) {step:>6.0f} ms  "
                      f"{_mark(step > BUDGET['present_step_ms'])}"]
    lines += ["", f"  budget: new session ≤ {BUDGET['new_session_ratio']} × floor, widget change ≤ "
                  f"{BUDGET['widget_ms']:.0f} ms, presentation step ≤ {BUDGET['present_step_ms']:.0f} ms"]
    return "\n".join(lines)
