# check.sh - sourced by the test scripts that judge a console log: one
# PASS/FAIL line per check and the closing count.
#   check NAME RESULT   RESULT "ok" passes, anything else fails
#   check_end           print "N passed, N failed"; status non-zero on any failure
# Set passed and failed first when the log already holds verdicts to count.
: "${passed:=0}" "${failed:=0}"
check() {
	if [ "$2" = ok ]; then
		passed=$((passed + 1))
		echo "PASS $1"
	else
		failed=$((failed + 1))
		echo "FAIL $1"
	fi
}
check_end() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
