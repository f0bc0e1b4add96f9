#!/usr/bin/env bash
# test-shell.sh BIN - the shell (apps/sh) and the /bin programs, built for
# the host in BIN, run against expected output: the command language
# (pipelines, redirections, lists, quoting, expansion), the built-ins, the
# errors, the programs. Each case runs `sh -c SCRIPT` (or feeds sh a script
# on standard input) in an empty directory with PATH=BIN, standard output
# and error together, and compares output and exit status (a case that
# hangs fails after 30 s). Prints
# PASS/FAIL per case and "N passed, N failed".
set -u
bin=$(cd "${1:?usage: test-shell.sh BIN}" && pwd)
. "$(dirname "$0")/../../check.sh"
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
n=0

# run_sh DIR [ARGS...]: the shell in DIR with a clean environment; one that
# hangs is stopped after 30 s (status 124: the case fails).
run_sh() {
	local dir=$1
	shift
	(cd "$dir" && exec timeout 30 env -i PATH="$bin" HOME="$dir" "$bin/sh" "$@" 2>&1)
}

# judge NAME EXPECTED WANT-STATUS OUT STATUS: one PASS/FAIL line, the difference on failure.
judge() {
	if [ "$4" = "$2" ] && [ "$5" = "$3" ]; then
		check "$1" ok
	else
		check "$1" fail
		printf '  expected (status %s):\n%s\n  got (status %s):\n%s\n' "$3" "$2" "$5" "$4" | sed 's/^/    /'
	fi
}

# t NAME SCRIPT EXPECTED [STATUS]: sh -c SCRIPT in a fresh directory.
t() {
	n=$((n + 1))
	local dir="$top/$n" out status
	mkdir "$dir"
	out=$(run_sh "$dir" -c "$2" </dev/null)
	status=$?
	judge "$1" "$3" "${4:-0}" "$out" "$status"
}

# t_stdin NAME INPUT EXPECTED [STATUS]: sh reading INPUT on standard input.
t_stdin() {
	n=$((n + 1))
	local dir="$top/$n" out status
	mkdir "$dir"
	out=$(printf '%s' "$2" | run_sh "$dir")
	status=$?
	judge "$1" "$3" "${4:-0}" "$out" "$status"
}

# Words, quotes, expansion.
t echo_words 'echo hello   world' 'hello world'
t quotes "echo 'a  b' \"c  d\" e\\ f" 'a  b c  d e f'
t backslashes "echo a\\\\b \"c\\\"d\" 'e\\f' \"\\\$x\"" 'a\b c"d e\f $x'
t variables 'A=1; B="$A 2"; echo "$B" ${A}x $Ax.' '1 2 1x .'
t field_splitting 'X="a  b   c"; echo $X; echo "$X"; seq $X 2>&1 | head -n 1' $'a b c\na  b   c\nseq: a: not an integer'
t empty_expansion 'E=; echo a $E b; echo "$E" | wc -c' $'a b\n1'
t special_params 'sh -c '\''echo $0 $1 $2 $#; echo "$@"'\'' name x "y z"' $'name x y z 2\nx y z'
t quoted_at 'sh -c '\''wc -l "$@"; echo $#'\'' sh /dev/null /dev/null' \
	$'0 /dev/null\n0 /dev/null\n0 total\n2'
t dollar_dollar 'echo $$ | wc -w; sh -c "echo \$\$" | wc -w' $'1\n1'
t tilde 'echo ~ ~/x "~"' "$top/$((n + 1)) $top/$((n + 1))/x ~"
t comment 'echo a # b c' 'a'
t lone_dollar 'echo $ a$ "$"' '$ a$ $'
t unset_var 'A=1; unset A; echo "[$A]"' '[]'
t multi_line $'echo 1\necho 2;echo 3' $'1\n2\n3'

# Status, lists.
t status_false 'false; echo $?; true; echo $?' $'1\n0'
t and_or 'false && echo no || echo yes; true || echo no; true && echo and' $'yes\nand'
t and_or_skip_keeps_status 'false && echo x; echo $?' '1'
t pipeline_status 'false | true; echo $?; true | false; echo $?' $'0\n1'
t exit_status 'echo a; exit 7; echo b' 'a' 7
t exit_in_pipeline 'exit 3 | true; echo still' 'still'
t exit_default_status 'false; exit' '' 1

# Pipelines and redirections.
t pipeline 'seq 1 100 | wc -l' '100'
t pipeline_three 'seq 1 10 | head -n 3 | wc -l' '3'
t sigpipe_quiet 'seq 1 100000 | head -n 1' '1'
t redirect_out 'echo hi > f; cat f' 'hi'
t redirect_append 'echo a > f; echo b >> f; cat f' $'a\nb'
t redirect_truncate 'echo long-line > f; echo s > f; cat f' 's'
t redirect_in 'seq 3 > f; wc -l < f' '3'
t redirect_err 'cat nosuch 2> err; echo $?; cat err' $'1\ncat: nosuch: No such file or directory'
t redirect_err_append 'cat x 2>>e; cat y 2>>e; wc -l < e' '2'
t err_to_out 'cat nosuch 2>&1 | wc -l' '1'
t out_to_err 'echo to-err >&2 | wc -c' $'to-err\n0'
t builtin_redirect_restored 'echo one > f; echo two; cat f' $'two\none'
t redirect_order 'echo x 2>/dev/null >&2; echo y' 'y'
t redirect_close 'echo x >&-; echo $?' $'sh: echo: write error: Bad file descriptor\n1'
t redirect_bad_fd 'echo hi 1>&5; echo $?' $'sh: 5: Bad file descriptor\n1'
t redirect_missing 'cat < nosuch; echo $?' $'sh: nosuch: No such file or directory\n1'
t redirect_only 'X=1 > made; cat made; echo "$X"' '1'
t cat_files 'echo 1 > a; echo 2 > b; cat a - b < a' $'1\n1\n2'

# Variables and the environment.
t export_to_child 'export Y=2; Z=3; sh -c '\''echo $Y-$Z'\''' '2-'
t prefix_assignment 'V=9 sh -c '\''echo $V'\''; echo "[$V]"' $'9\n[]'
t export_list 'export Q="it'\''s"; export' "export PATH='$bin'"$'\n'"export HOME='$top/$((n + 1))'"$'\n'"export PWD='$top/$((n + 1))'"$'\n'"export Q='it'\\''s'"
t env_program 'export A=b; env | wc -l' '4'

# Built-ins.
t cd_pwd 'mkdir d; cd d; pwd; cd ..; pwd' "$top/$((n + 1))/d"$'\n'"$top/$((n + 1))"
t cd_dash 'mkdir d; cd d; cd - >/dev/null; pwd' "$top/$((n + 1))"
t cd_missing 'cd nowhere; echo $?' $'sh: cd: nowhere: No such file or directory\n1'
t echo_n 'echo -n a; echo b' 'ab'
t help 'help | head -n 1' 'Built-in commands:'
t kill_list 'kill -l | wc -l' '6'
t kill_bad_signal 'kill -NOPE 1; echo $?' $'sh: kill: -NOPE: unknown signal (kill -l lists them)\n2'

# Jobs.
t background_wait 'sleep 0.2 & echo started; wait; echo done' $'started\ndone'
t wait_status 'true & wait $!; echo $?; false & wait $!; echo $?' $'0\n1'
t jobs_running 'sleep 5 & jobs; kill %1; wait %1; echo $?' $'[1] Running  sleep 5\n143'
t background_list 'true && echo yes & wait; false && echo no & wait; echo ok' $'yes\nok'
t wait_no_job 'wait %4; echo $?' $'sh: wait: %4: no such job\n127'
t signal_report 'sh -c '\''kill $$'\''; echo $?' $'sh: sh: killed by SIGTERM (Terminated)\n143'

# Errors.
t not_found 'nosuch arg' 'sh: nosuch: command not found' 127
t not_executable 'echo x > f; ./f' 'sh: ./f: Permission denied' 126
t no_such_path './nope' 'sh: ./nope: No such file or directory' 127
t syntax_pipe_end 'echo a |' 'sh: syntax error: unexpected end of line' 2
t syntax_pipe_start '| echo a' "sh: syntax error near '|'" 2
t syntax_double_semi 'echo a;; echo b' "sh: syntax error near ';'" 2
t syntax_quote "echo 'a" "sh: syntax error: unterminated '" 2
t syntax_dquote 'echo "a' 'sh: syntax error: unterminated "' 2
t syntax_brace 'echo ${A' 'sh: syntax error: missing } after ${' 2
t syntax_subshell 'echo (a)' "sh: syntax error near '(': ( ) subshells are not supported" 2
t syntax_redirect 'echo >' 'sh: syntax error: no file name after >' 2
t bad_substitution 'echo ${1a}; echo $?' $'sh: ${1a}: bad substitution\n1'
t script_file 'echo '\''echo $1 $#'\'' > s; sh s a b' 'a 2'
t script_missing 'sh nosuch' 'sh: nosuch: No such file or directory' 127

# Standard input: read a byte at a time, so a command gets the rest.
t_stdin stdin_script $'echo one\ncat\nfor cat\n' $'one\nfor cat'
t_stdin stdin_eof_status $'false\n' '' 1
t_stdin stdin_no_final_newline 'echo last' 'last'
t_stdin stdin_syntax_error_goes_on $'echo (\necho next\n' $'sh: syntax error near \'(\': ( ) subshells are not supported\nnext'
long=$(head -c 70000 /dev/zero | tr '\0' x)
t_stdin line_too_long "echo $long"$'\necho after\n' $'sh: line longer than 65536 bytes: ignored\nafter'
t_stdin line_with_nul $'echo a\x01b\n' $'a\x01b'

# The programs.
t seq_forms 'seq 3; seq 2 4; seq 3 -1 1; seq 1 0' $'1\n2\n3\n2\n3\n4\n3\n2\n1'
t seq_errors 'seq; seq 1 0 3; seq x' $'usage: seq [FIRST [INCREMENT]] LAST\nseq: the increment must not be 0\nseq: x: not an integer' 2
t wc_counts 'echo "a b c" | wc; echo x > f; wc -l f; wc -c f f' \
	$'1 3 6\n1 f\n2 f\n2 f\n4 total'
t head_lines 'seq 20 | head; seq 5 | head -n 2' "$(seq 10)"$'\n1\n2'
t ls_dir 'mkdir d; echo x > d/b; echo y > d/a; mkdir d/c; ls d; ls -a d | wc -l; ls d/a nosuch 2>/dev/null; echo $?; ls nosuch' \
	$'a\nb\nc\n5\nd/a\n1\nls: nosuch: No such file or directory' 1
t ls_long 'echo 123 > f; ls -l' "-rw-r--r--        4 f"
t rm_mkdir 'mkdir d; echo x > f; rm f d; rm -d d; ls; echo $?' $'rm: d: Is a directory\n0'
t sleep_fraction 'sleep 0.05; echo $?; sleep x' $'0\nusage: sleep SECONDS (0 to 1e9, a fraction allowed)' 2
t true_false 'true; echo $?; false; echo $?' $'0\n1'
check_end
