#!/bin/sh
# flash-boot.sh RUN - boot the flash test image (first app: sh -c
# "hello && exit 3") through RUN, which starts QEMU with no -kernel, as
# hardware boots it: the app's output and its exit status must come through.
. "$(dirname "$0")/../lib/check.sh"
run=$1

out=$(timeout 60 "$run" </dev/null 2>&1)
status=$?
printf '%s\n' "$out"
check boots_with_no_kernel_argument sh -c "! grep -v '^#' '$run' | grep -q -e ' -kernel'"
check app_output_reaches_the_console sh -c "printf '%s\n' \"\$1\" | grep -q '^hello from hello, pid [0-9]'" - "$out"
check guest_exit_status_comes_back [ "$status" -eq 3 ]
check_end
