"""The import summary as text: the command prints it, the dashboard shows the same
figures as HTML."""

from typing import Any

ROWS = [("posts", "Posts"), ("pages", "Pages"), ("attachments", "Attachments"),
        ("comments", "Comments"), ("pingbacks", "Pingbacks"), ("trackbacks", "Trackbacks"),
        ("webmentions", "Webmentions"), ("categories", "Categories"), ("tags", "Tags"),
        ("authors", "Authors")]


def summary_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    counts = summary.get("counts", {})
    return [{"key": key, "label": label, **counts.get(key, {})} for key, label in ROWS
            if key not in ("webmentions",) or any(counts.get(key, {}).values())]


def summary_text(summary: dict[str, Any]) -> str:
    lines = [f"{'':<13}{'created':>9}{'updated':>9}{'skipped':>9}"]
    for row in summary_rows(summary):
        lines.append(f"{row['label']:<13}{row.get('created', 0):>9}{row.get('updated', 0):>9}"
                     f"{row.get('skipped', 0):>9}")
    reasons = summary.get("skipped_reasons", {})
    if reasons:
        lines += ["", f"Not imported ({summary.get('not_imported_total', 0)}):"]
        lines += [f"  {count:>6}  {reason}" for reason, count in reasons.items()]
        lines += ["", "Items not imported:"]
        for item in summary.get("not_imported", []):
            title = f" “{item['title']}”" if item.get("title") else ""
            lines.append(f"  {item['kind']} {item['wp_id']}{title}: {item['reason']}")
        listed, total = len(summary.get("not_imported", [])), summary.get(
            "not_imported_total", 0)
        if total > listed:
            lines.append(f"  … and {total - listed} more")
    notes = summary.get("notes", {})
    if notes:
        lines += ["", "Notes:"]
        lines += [f"  {count:>6}× {note}" if count > 1 else f"          {note}"
                  for note, count in notes.items()]
    return "\n".join(lines)
