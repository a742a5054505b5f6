#!/usr/bin/env python3
"""Turns the ONNX conformance report into the generated section of docs/onnx.md: totals, the
command and date, per-operator counts, the failed cases with their reasons, and the unsupported
cases of supported operators.

The report is the JSON the Swift conformance test writes (ONNXConformance.Report):
{"supportedOperators": [...], "supportedOpsets": [first, last],
 "cases": [{"name", "ops", "opset", "status": passed|failed|unsupported, "reason"}, ...]}.

Usage: conformance_table.py REPORT.json DOC.md [--command CMD] [--source TEXT] [--date YYYY-MM-DD]

The section sits between the BEGIN/END markers below; the rest of DOC.md is left as it is (the
markers are appended when missing).
"""
import argparse
import collections
import datetime
import json
import sys

BEGIN = "<!-- BEGIN GENERATED: scripts/onnx/conformance_table.py; do not edit by hand -->"
END = "<!-- END GENERATED -->"
STATUSES = ("passed", "failed", "unsupported")


def escape(text):
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def section(report, command, source, date):
    results = report["cases"]
    supported = sorted(report["supportedOperators"])
    first, last = report["supportedOpsets"]
    totals = collections.Counter(r["status"] for r in results)
    per_op = collections.defaultdict(collections.Counter)
    for r in results:
        for op in r["ops"]:
            per_op[op][r["status"]] += 1
    never = sorted(op for op in per_op if op not in supported)

    lines = [BEGIN, "", "## Conformance results", ""]
    lines.append(
        f"`{command}` on {date}, against {source}: **{len(results)} cases, "
        f"{totals['passed']} passed, {totals['failed']} failed, {totals['unsupported']} unsupported**."
    )
    lines += ["", "### Per operator", ""]
    lines.append(
        f"The {len(supported)} supported operators, at opsets {first}–{last}. A case counts once for "
        "every operator in its model."
    )
    lines += ["", "| Operator | Passed | Failed | Unsupported |", "|---|---:|---:|---:|"]
    for op in supported:
        c = per_op[op]
        lines.append(f"| {op} | {c['passed']} | {c['failed']} | {c['unsupported']} |")
    lines += ["", f"Operators of the node tests that Tessera does not support ({len(never)}; cases in parentheses): "]
    lines[-1] += ", ".join(f"{op} ({sum(per_op[op].values())})" for op in never) + "."

    failed = [r for r in results if r["status"] == "failed"]
    lines += ["", f"### Failed cases ({len(failed)})", ""]
    if failed:
        lines += ["| Case | Operators | Reason |", "|---|---|---|"]
        for r in failed:
            lines.append(f"| {r['name']} | {', '.join(r['ops'])} | {escape(r.get('reason') or '')} |")
    else:
        lines.append("None.")

    partial = [r for r in results if r["status"] == "unsupported" and r["ops"] and set(r["ops"]) <= set(supported)]
    lines += ["", f"### Unsupported cases of supported operators ({len(partial)})", ""]
    if partial:
        lines += ["<details><summary>Cases and reasons</summary>", ""]
        lines += ["| Case | Operators | Reason |", "|---|---|---|"]
        for r in partial:
            lines.append(f"| {r['name']} | {', '.join(r['ops'])} | {escape(r.get('reason') or '')} |")
        lines += ["", "</details>"]
    else:
        lines.append("None.")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report")
    parser.add_argument("doc")
    parser.add_argument("--command", default="bash scripts/onnx-conformance.sh")
    parser.add_argument("--source", default="the ONNX backend node tests of onnx 1.16.2")
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    args = parser.parse_args()

    with open(args.report) as f:
        report = json.load(f)
    if not isinstance(report, dict) or not {"cases", "supportedOperators", "supportedOpsets"} <= report.keys():
        sys.exit(f"{args.report}: not a conformance report (needs cases, supportedOperators, supportedOpsets)")
    results = report["cases"] = sorted(report["cases"], key=lambda r: r["name"])
    for r in results:
        if r.get("status") not in STATUSES or "name" not in r or "ops" not in r:
            sys.exit(f"{args.report}: not a conformance report (bad entry {r!r:.200})")
    generated = section(report, args.command, args.source, args.date)

    try:
        with open(args.doc) as f:
            text = f.read()
    except FileNotFoundError:
        text = ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + generated.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + generated
    with open(args.doc, "w") as f:
        f.write(text)
    totals = collections.Counter(r["status"] for r in results)
    print(f"{args.doc}: {len(results)} cases, " + ", ".join(f"{totals[s]} {s}" for s in STATUSES))


if __name__ == "__main__":
    main()
