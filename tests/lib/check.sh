# check.sh - case bookkeeping for the shell-script tests, sourced (POSIX sh):
#   check NAME COMMAND...   run COMMAND: PASS NAME or FAIL NAME, counted
#   check_end               print "N passed, N failed"; status 0 when none failed
passed=0
failed=0

# Record case $1 as passed when the rest of the arguments, a command, succeeds.
check() {
	check_name=$1
	shift
	if "$@"; then
		echo "PASS $check_name"
		passed=$((passed + 1))
	else
		echo "FAIL $check_name"
		failed=$((failed + 1))
	fi
}

# The closing line; the script's status.
check_end() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
