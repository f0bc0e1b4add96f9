#!/bin/sh
# cli.sh CALF - ./calf flash and ./calf run --from-flash refuse bad input
# with one line starting "calf: " and a non-zero status, before building.
calf=$1
passed=0
failed=0

# refuses NAME WORD ARGS...: ARGS fail with one "calf: " line naming WORD.
refuses() {
	name=$1
	word=$2
	shift 2
	err=$("$calf" "$@" 2>&1 >/dev/null)
	status=$?
	if [ "$status" -ne 0 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		printf '%s\n' "$err" | grep -q "^calf: .*$word"; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name (status $status): $err"
		failed=$((failed + 1))
	fi
}

refuses flash_unknown_option nope flash --nope
refuses flash_unknown_board nosuch flash --board nosuch
refuses run_from_flash_unknown_board nosuch run --from-flash --board nosuch
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
