"""Summaries and Markdown for benchmark results, and the machine they were measured on."""

import os
import platform
import sqlite3
import statistics
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class Section:
    """One measurement's results: a table (first row is the header) and notes under it."""

    title: str
    table: list[list[str]]
    notes: list[str] = field(default_factory=list)


def summarize_ms(samples: list[float]) -> dict[str, float]:
    """Median, 90th percentile, min and max of durations in seconds, as milliseconds."""
    ms = sorted(s * 1000 for s in samples)
    p90 = statistics.quantiles(ms, n=10, method="inclusive")[8] if len(ms) > 1 else ms[0]
    return {"median": statistics.median(ms), "p90": p90, "min": ms[0], "max": ms[-1]}


def markdown_table(rows: list[list[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
           for row in rows]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram() -> str:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine() -> dict[str, str]:
    """What the figures depend on besides the code: CPU, cores, RAM, Python, SQLite, date."""
    return {
        "Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": _cpu_model(),
        "Cores": str(os.cpu_count()),
        "RAM": _ram(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": sys.version.split()[0],
        "SQLite": sqlite3.sqlite_version,
        # Other work on the machine skews the figures: say how busy it was.
        "Load average (1 min) at start": f"{os.getloadavg()[0]:.2f}",
    }


def section_markdown(section: Section, details: dict[str, str]) -> str:
    parts = [f"## {section.title}", "", markdown_table(section.table), ""]
    parts += [f"{note}" for note in section.notes]
    if section.notes:
        parts.append("")
    parts.append("Machine: " + "; ".join(f"{k} {v}" for k, v in details.items()) + ".")
    return "\n".join(parts) + "\n"
