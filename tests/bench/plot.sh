#!/bin/sh
# plot.sh OUT.png [ARM-CSV [PC-CSV]] - draw fork + exit + waitpid against the
# parent's resident heap (0, 64 KiB, 1 MiB, 16 MiB, 64 MiB; log axes, 0 drawn
# at 16 KiB) for both boards and Linux (which has no 64 MiB figure), with
# gnuplot (Debian package gnuplot-nox). The figures come from join.sh;
# ./calf bench --plot calls this with docs/fork-exit-wait.png.
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: plot.sh OUT.png [ARM-CSV [PC-CSV]]}
shift
command -v gnuplot >/dev/null 2>&1 || { echo "plot.sh: gnuplot is missing: apt-get install gnuplot-nox" >&2; exit 1; }
data=$(mktemp) || exit 1
trap 'rm -f "$data"' EXIT
# x (KiB), vexpress-a9, Linux arm, pc, Linux i386
sh "$here/join.sh" "$@" | awk '
	BEGIN { x["0k"] = 16; x["64k"] = 64; x["1m"] = 1024; x["16m"] = 16384; x["64m"] = 65536 }
	sub(/^fork_exit_wait_/, "", $1) { $1 = x[$1]; print }' >"$data" || exit 1
commit=$(git -C "$here" rev-parse --short HEAD)
git -C "$here" diff --quiet HEAD -- || commit="$commit+"
qemu=$(qemu-system-arm --version | head -n 1 | sed 's/ (.*//; s/emulator version //')
gnuplot <<EOF_GNUPLOT || exit 1
set terminal pngcairo size 960,640 font "sans,11"
set output "$out"
set datafile missing "-"
set title "fork + child \\\\_exit(0) + waitpid, parent with every heap page written\n{/*0.8 guest instructions under $qemu -icount shift=0; Calf at $commit; Linux has no 64 MiB figure}"
set xlabel "resident heap of the parent (log scale; 0 drawn at 16 KiB)"
set ylabel "guest instructions per round"
set logscale xy
set xrange [10:100000]
set xtics ("0" 16, "64 KiB" 64, "1 MiB" 1024, "16 MiB" 16384, "64 MiB" 65536)
set format y "10^{%T}"
set grid
set key top left
plot "$data" using 1:2 with linespoints lw 2 pt 7 title "Calf, vexpress-a9", \
     "$data" using 1:3 with linespoints lw 2 pt 6 dt 2 title "Linux 6.1, vexpress-a9", \
     "$data" using 1:4 with linespoints lw 2 pt 5 title "Calf, pc (i386)", \
     "$data" using 1:5 with linespoints lw 2 pt 4 dt 2 title "Linux 6.1, pc (i386)"
EOF_GNUPLOT
