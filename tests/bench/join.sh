#!/bin/sh
# join.sh [ARM-CSV [PC-CSV]] - one row per metric of metrics.txt and
# metrics-latency.txt, in their order: "METRIC VEXPRESS-A9 LINUX-ARM PC LINUX-I386", "-" where nobody
# measured it. The CSVs are what ./calf bench --csv writes (default:
# build/vexpress-a9/bench.csv and build/pc/bench.csv); Linux's figures are
# linux-baseline.csv's. report.sh and plot.sh read this.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
arm=${1:-$root/build/vexpress-a9/bench.csv}
pc=${2:-$root/build/pc/bench.csv}
for f in "$arm" "$pc"; do
	[ -f "$f" ] || { echo "no $f (./calf bench --board B --csv FILE writes it)" >&2; exit 1; }
done
cat "$here/metrics.txt" "$here/metrics-latency.txt" | grep -vE '^[[:space:]]*(#|$)' |
	awk -v arm="$arm" -v pc="$pc" -v linux="$here/linux-baseline.csv" '
	function load(file, col, into,    line, f) {
		while ((getline line < file) > 0) {
			if (line ~ /^#/) continue
			split(line, f, ",")
			into[f[1]] = f[col]
		}
		close(file)
	}
	function cell(v) { return v == "" ? "-" : v }
	BEGIN { load(arm, 2, a); load(pc, 2, p); load(linux, 2, la); load(linux, 3, li) }
	{ print $1, cell(a[$1]), cell(la[$1]), cell(p[$1]), cell(li[$1]) }'
