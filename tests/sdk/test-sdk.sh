#!/bin/bash
# test-sdk.sh BUILD SOURCE - the SDK as a user meets it: install build
# directory BUILD's SDK, build SOURCE/examples/hello-sdk against it outside
# the tree and boot its image in QEMU; build a lone app with a warning;
# configure without the toolchain file. Ends "N passed, N failed".
. "$(dirname "$0")/../lib/check.sh"
set -uo pipefail
build=$1 src=$2
work=$build/sdk-test
prefix=$work/prefix

# Whether file $1 has a line matching each of the fixed strings $2...
has_lines() {
	local file=$1 line
	shift
	for line in "$@"; do
		grep -qF -- "$line" "$file" || { echo "    missing: $line" >&2; return 1; }
	done
}

installed() {
	cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 &&
		[ -f "$prefix/lib/cmake/Calf/CalfConfig.cmake" ] && [ -f "$prefix/lib/calf/crt0.o" ] &&
		[ -f "$prefix/lib/calf/apps/sh.elf" ] && [ -f "$prefix/include/calf/abi.h" ] &&
		[ -f "$prefix/newlib/lib/libc.a" ]
}

example_boots() {
	cmake -S "$src/examples/hello-sdk" -B "$work/hello" \
		-DCMAKE_TOOLCHAIN_FILE="$prefix/lib/cmake/Calf/toolchain.cmake" >"$work/hello.log" 2>&1 &&
		cmake --build "$work/hello" >>"$work/hello.log" 2>&1 || { tail -n 30 "$work/hello.log" >&2; return 1; }
	timeout 120 "$work/hello/hello-image.run" </dev/null >"$work/hello.out" 2>&1
	local status=$?
	cat "$work/hello.out"
	[ $status -eq 0 ] && has_lines "$work/hello.out" "calf: started 'hello-sdk' as pid 1" \
		"hello-sdk: started as pid 1 with 1 argument(s): from-the-sdk" \
		"hello-sdk: echo ran in the child" "hello-sdk: child 2 exited with 0"
}

# An app of the user's own with a warning: shown, not an error (no -Werror outside the tree).
warning_is_no_error() {
	mkdir -p "$work/warn-src"
	printf 'cmake_minimum_required(VERSION 3.20)\nproject(warn C ASM)\nfind_package(Calf REQUIRED)\ncalf_add_app(warn warn.c)\n' \
		>"$work/warn-src/CMakeLists.txt"
	printf 'static int unused(void) { return 1; }\nint main(void) { return 0; }\n' >"$work/warn-src/warn.c"
	cmake -S "$work/warn-src" -B "$work/warn" -DCMAKE_TOOLCHAIN_FILE="$prefix/lib/cmake/Calf/toolchain.cmake" \
		>"$work/warn.log" 2>&1 && cmake --build "$work/warn" >>"$work/warn.log" 2>&1 &&
		has_lines "$work/warn.log" "warning: " "unused" "defined but not used" && [ -f "$work/warn/apps-bin/warn.elf" ]
}

# Without the toolchain file find_package(Calf) says how to configure, in one message.
no_toolchain_says_so() {
	! cmake -S "$work/warn-src" -B "$work/host" -DCMAKE_PREFIX_PATH="$prefix" >"$work/host.log" 2>&1 &&
		has_lines "$work/host.log" "Calf: configure with" "/lib/cmake/Calf/toolchain.cmake"
}

rm -rf "$work"
mkdir -p "$work"
check sdk_installs installed
check sdk_example_builds_and_boots example_boots
check sdk_app_warning_is_no_error warning_is_no_error
check sdk_without_toolchain_says_how no_toolchain_says_so
check_end
