#!/usr/bin/env python3
"""Fails when jscpd finds code copied between two services (or between contracts and a service).

Reads jscpd's JSON report (argument 1). A clone whose two places lie in different top folders of services/ or contracts/
(services/PopInfo.Registry vs services/PopInfo.Sharing, say) is plumbing written twice across a boundary: it belongs in
ServiceDefaults, Domain or Contracts, once. Clones inside one service are listed but do not fail the run (the review's
`duplicates` command looks at those). Exit code 1 when a cross-service clone exists, else 0.
"""
import json
import sys


def owner(path):
    parts = path.replace("\\", "/").split("/")
    for root in ("services", "contracts"):
        if root in parts:
            i = parts.index(root)
            return "/".join(parts[i:i + 2])
    return parts[0]


def main(report_path):
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    clones = report.get("duplicates", [])
    across, within = [], []
    for clone in clones:
        first, second = clone["firstFile"], clone["secondFile"]
        line = f'{clone["lines"]:4} lines  {first["name"]}:{first["start"]}  =  {second["name"]}:{second["start"]}'
        (across if owner(first["name"]) != owner(second["name"]) else within).append(line)
    total = report.get("statistics", {}).get("total", {})
    print(f'jscpd: {len(clones)} clones in {total.get("sources", "?")} files ({total.get("percentage", 0):.2f} % of lines)')
    print(f"copied across services: {len(across)}")
    for line in across:
        print("  " + line)
    print(f"copied within one service (listed, not failing): {len(within)}")
    for line in within:
        print("  " + line)
    return 1 if across else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
