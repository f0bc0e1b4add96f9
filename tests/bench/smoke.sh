#!/bin/sh
# smoke.sh RUNSCRIPT NAME METRICS [QEMU-ARG...] - a benchmark's CI smoke test
# (ctest target.B.bench_smoke for forkbench, target.B.latbench_smoke for
# latbench). Boots the image twice at once under the given QEMU arguments
# (the -icount flags), and checks that each run completed with every check
# passed ("NAME: done, every check passed") and printed every metric of the
# file METRICS, and that the two runs' CSV outputs are identical (under
# -icount they are deterministic). It never looks at how fast anything is.
# Prints PASS/FAIL per check and "N passed, N failed"; exits non-zero on any
# failure, showing the console logs prefixed with "  | ".
run=$1
name=$2
metrics_file=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d) || exit 2
trap 'rm -rf "$dir"' EXIT

"$run" "$@" </dev/null >"$dir/1.log" 2>&1 &
pid1=$!
"$run" "$@" </dev/null >"$dir/2.log" 2>&1 &
pid2=$!
wait "$pid1"
status1=$?
wait "$pid2"
status2=$?

. "$here/../check.sh"
verdict() { # STATUS WHAT: a check that passes when STATUS is 0
	check "$2" "$([ "$1" -eq 0 ] && echo ok)"
}

metrics=$(grep -vE '^[[:space:]]*(#|$)' "$metrics_file")
nmetrics=$(printf '%s\n' "$metrics" | wc -l)
for i in 1 2; do
	log=$dir/$i.log
	eval status=\$status$i
	grep -q "^$name: done, every check passed" "$log"
	verdict $(( $? != 0 || status != 0 )) "run_${i}_completed (exit status $status)"
	npass=$(grep -c '^PASS ' "$log")
	nfail=$(grep -c '^FAIL ' "$log")
	verdict $(( nfail != 0 || npass == 0 )) "run_${i}_checks ($npass passed, $nfail failed)"
	sh "$here/csv.sh" <"$log" >"$dir/$i.csv"
	missing=""
	for m in $metrics; do
		grep -qE "^$m,[0-9]+\$" "$dir/$i.csv" || missing="$missing $m"
	done
	verdict $(( ${#missing} != 0 )) "run_${i}_prints_all_${nmetrics}_metrics${missing:+ (missing:$missing)}"
done
cmp -s "$dir/1.csv" "$dir/2.csv"
verdict $? "two_runs_print_identical_csv"

if [ "$failed" -ne 0 ]; then
	for i in 1 2; do
		echo "console of run $i:"
		sed 's/^/  | /' "$dir/$i.log"
	done
fi
check_end
