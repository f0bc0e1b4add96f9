#!/bin/sh
# posix-missing.sh BUILD_DIR CC CFLAGS... - print, one per line, each
# function an app could call and not link on this board: the system-call
# hooks newlib's libc.a references (_open, _times, ...) and the functions
# the POSIX headers apps include declare (tests/posix/headers.h), that
# neither libc.a, libm.a, the user library (apps/lib) nor libgcc defines.
# Exits 0 when there is none: every such call links (apps/lib/enosys.c
# answers the ones Calf does not provide with ENOSYS); else 1, after the
# list and what to do. CC and CFLAGS are the apps' compiler and flags
# (their include path and CPU).
set -eu
build=$1
cc=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
sysroot=$(cat "$build/newlib-sysroot.txt")
case "$cc" in
*-gcc) nm=${cc%gcc}nm ;;
*) nm=nm ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Defined anywhere an app's link looks (T, W, D, B... any defined global).
defined_in() {
	"$nm" -g --defined-only "$@" 2>/dev/null | awk 'NF == 3 { print $3 }'
}
{
	defined_in "$sysroot/lib/libc.a" "$sysroot/lib/libm.a" "$build/libcalf_user.a"
	defined_in "$("$cc" "$@" -print-libgcc-file-name)"
	# crt0 and the link script give these.
	printf '%s\n' _init _fini __libc_fini __init_array_start __init_array_end \
		__preinit_array_start __preinit_array_end __fini_array_start __fini_array_end
} | sort -u >"$work/defined"

# The hooks: what libc.a's objects need from outside libc.a.
"$nm" -u "$sysroot/lib/libc.a" 2>/dev/null | awk 'NF == 2 { print $2 }' | sort -u >"$work/hooks"

# The declarations: GCC's -aux-info lists every function the headers
# declare, with its file; static inline helpers are not calls to link.
"$cc" "$@" -fsyntax-only -aux-info "$work/aux" "$here/headers.h"
grep -v '\*/ static ' "$work/aux" |
	sed -n 's/^\/\* [^ ]* \*\/ \(extern \)\{0,1\}\(.*\)$/\2/p' |
	sed 's/__attribute__ *((.*))//g' |
	awk '{
		# The name is the identifier before the parameter list; a function
		# returning a function pointer, "void (*signal (int, ...))(int)",
		# has it after the innermost "(*".
		line = $0
		if (match(line, /\(\*[a-zA-Z_][a-zA-Z0-9_]* \(/)) {
			name = substr(line, RSTART + 2, RLENGTH - 4)
		} else if (match(line, /[a-zA-Z_][a-zA-Z0-9_]* \(/)) {
			name = substr(line, RSTART, RLENGTH - 2)
		} else next
		print name
	}' | sort -u >"$work/declared"

sort -u "$work/hooks" "$work/declared" | comm -23 - "$work/defined" >"$work/missing"
if [ -s "$work/missing" ]; then
	cat "$work/missing"
	echo "posix-missing: $(wc -l <"$work/missing") functions above would not link: implement them in apps/lib or answer them with ENOSYS in apps/lib/enosys.c" >&2
	exit 1
fi
echo "posix-missing: every hook newlib needs and every function tests/posix/headers.h declares links ($(wc -l <"$work/declared") declared)"
