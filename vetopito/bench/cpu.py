"""CPU seconds of the browser benchmark's processes (Linux /proc): its own Chromium, found by a marker
switch, with every descendant (zygotes, renderers, the GPU and network processes), and a server."""

from __future__ import annotations

import os
from pathlib import Path

# a switch Chromium ignores, by which the benchmark finds its own browser's processes for their CPU time;
# it names this process, so that two benchmarks at once (two engineers, an A/B run) do not count
# each other's Chromium
BENCH_MARK = f"--vetopito-bench-browser={os.getpid()}"


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (Linux), else None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def chromium_pids() -> list[int]:
    """This benchmark's Chromium: the processes started with `BENCH_MARK`, and their descendants
    (zygotes, renderers, the GPU and network processes)."""
    parents: dict[int, int] = {}
    roots = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields is None:
            continue
        parents[int(entry.name)] = int(fields[1])
        try:
            if BENCH_MARK.encode() in (entry / "cmdline").read_bytes().split(b"\0"):
                roots.append(int(entry.name))
        except OSError:
            pass
    found, todo = set(roots), list(roots)
    while todo:
        parent = todo.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in found]
        found.update(children)
        todo += children
    return sorted(found)


def cpu_seconds(server_pid: int, browser_pids: list[int]) -> float | None:
    """User + system CPU seconds so far of the server process and the benchmark's Chromium, else None
    (no /proc, or no Chromium process found)."""
    fields = [_stat(pid) for pid in [server_pid, *browser_pids]]
    if fields[0] is None or not browser_pids:
        return None
    ticks = sum(int(f[11]) + int(f[12]) for f in fields if f is not None)
    return ticks / os.sysconf("SC_CLK_TCK")
