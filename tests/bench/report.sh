#!/bin/sh
# report.sh [ARM-CSV [PC-CSV]] - the benchmark figures of both boards beside
# Linux's (linux-baseline.csv) as a markdown table on stdout, with the QEMU
# version and the commit. The CSVs are what ./calf bench --csv writes
# (default: build/vexpress-a9/bench.csv and build/pc/bench.csv); rows follow
# metrics.txt, and a figure nobody measured shows as "-".
here=$(cd "$(dirname "$0")" && pwd)
rows=$(sh "$here/join.sh" "$@") || exit 1
commit=$(git -C "$here" rev-parse --short HEAD)
git -C "$here" diff --quiet HEAD -- || commit="$commit with uncommitted changes"
echo "Guest instructions per unit under \`-icount shift=0,align=off,sleep=off\`;"
echo "$(qemu-system-arm --version | head -n 1); Calf at commit $commit."
echo
echo "| metric | vexpress-a9 | Linux arm | pc | Linux i386 |"
echo "| --- | ---: | ---: | ---: | ---: |"
printf '%s\n' "$rows" | awk '{ printf "| `%s` | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }'
