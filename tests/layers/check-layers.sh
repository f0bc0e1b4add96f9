#!/usr/bin/env bash
# check-layers.sh [ROOT] - draw the house from the #include lines and check it.
#
# Each source file belongs to a layer by where it lives; each #include names
# a layer by its include root (<calf/..> the user/kernel interface, <mm/..>,
# <kernel/..>, <drivers/..>, an arch's public header, the board's
# <board_md.h>) or is private to the includer's own directory ("x.h" beside
# it). The allowed edges below are the design (docs/porting.md):
#   apps, tests/target, tests/bench -> the public interface only
#   kernel -> mm -> the pmap contract (pmap_md.h); arch and boards below kernel
# A '../' include, an include of another directory's private header, or an
# edge not allowed fails. Prints one PASS/FAIL line per check, the edges it
# found, and "N passed, N failed".
set -u
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
cd "$root" || exit 2

# Headers an arch exports through its include/ root.
arch_public=" $(ls arch/*/include/ 2>/dev/null | grep -E '\.h$' | sort -u | tr '\n' ' ') "

# The layer a source file belongs to.
file_layer() {
	case "$1" in
	include/calf/*) echo uapi ;;
	mm/*) echo mm ;;
	kernel/*) echo kernel ;;
	drivers/*) echo drivers ;;
	arch/*/user/*) echo user-arch ;;
	arch/*) echo arch ;;
	boards/*) echo board ;;
	apps/*) echo app ;;
	tests/target/kfault.c) echo kernel-test ;; # linked into a kernel image
	tests/target/* | tests/bench/*) echo app ;;
	tests/host/*) echo host-test ;;
	*) echo other ;;
	esac
}

# The layer an include names, seen from file $1; "system" for the C library.
include_layer() {
	local from=$1 inc=$2 quoted=$3
	case "$inc" in *../*) echo "dotdot"; return ;; esac
	if [ "$quoted" = 1 ]; then
		[ -e "$(dirname "$from")/$inc" ] && { echo "private"; return; }
	fi
	case "$inc" in
	calf/*) echo uapi ;;
	calf.h) echo userlib ;;
	mm/*) echo mm ;;
	kernel/*) echo kernel ;;
	drivers/*) echo drivers ;;
	arch/generic/*) echo arch-generic ;;
	board_md.h) echo board-md ;;
	arch_test.h) echo arch-test ;;
	pmap_md.h) echo pmap-md ;;
	*)
		case "$arch_public" in
		*" $inc "*) echo arch-md ;;
		*) [ "$quoted" = 1 ] && echo "unresolved" || echo system ;;
		esac
		;;
	esac
}

# Allowed target layers for each source layer.
allowed() {
	case "$1" in
	uapi) echo "system private" ;;
	mm) echo "system private mm pmap-md" ;;
	kernel) echo "system private mm kernel uapi pmap-md arch-md board-md" ;;
	kernel-test) echo "system kernel" ;;
	drivers) echo "system private kernel drivers arch-md board-md" ;;
	arch) echo "system private mm kernel uapi pmap-md arch-md arch-generic" ;;
	board) echo "system private mm kernel drivers uapi pmap-md arch-md board-md" ;;
	user-arch) echo "system private uapi" ;;
	app) echo "system private userlib uapi arch-test" ;;
	host-test) echo "system private mm pmap-md arch-generic kernel drivers" ;; # kernel: the console ring over stubs; drivers: register blocks faked in memory
	*) echo "system private" ;;
	esac
}

pass=0 fail=0
declare -A edges=()
while IFS= read -r f; do
	layer=$(file_layer "$f")
	ok=1
	while IFS= read -r line; do
		inc=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"].*/\1/' <<<"$line")
		quoted=0
		[[ "$line" =~ \#[[:space:]]*include[[:space:]]*\" ]] && quoted=1
		target=$(include_layer "$f" "$inc" "$quoted")
		if [ "$target" != system ] && [ "$target" != private ]; then
			edges["$layer -> $target"]=$((${edges["$layer -> $target"]:-0} + 1))
		fi
		case " $(allowed "$layer") " in
		*" $target "*) ;;
		*)
			echo "  $f: #include ${inc} ($layer may not include $target)"
			ok=0
			;;
		esac
	done < <(grep -E '^[[:space:]]*#[[:space:]]*include' "$f")
	if [ $ok = 1 ]; then pass=$((pass + 1)); else
		echo "FAIL $f"
		fail=$((fail + 1))
	fi
done < <(git ls-files -co --exclude-standard -- '*.c' '*.h' '*.S' 2>/dev/null | grep -v '^build' | sort)

echo "the house, as the includes draw it (edges and how many includes):"
for e in "${!edges[@]}"; do echo "  $e (${edges[$e]})"; done | sort
[ $fail -eq 0 ] && echo "PASS every file includes only the layers below it ($pass files)"
echo "$((fail == 0 ? 1 : 0)) passed, $((fail == 0 ? 0 : 1)) failed"
[ $fail -eq 0 ]
