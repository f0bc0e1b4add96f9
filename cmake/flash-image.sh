#!/usr/bin/env bash
# flash-image.sh - make the images a kernel ELF is put on hardware with
# (cmake/flash.cmake runs it; ./calf flash lists what it wrote):
#
#   flash-image.sh pflash READELF STUB.bin KERNEL.elf OUT SIZE_MIB
#       NOR flash: the boot stub (arch/armv7/flash_stub.S), its segment
#       table, then each loadable segment, padded to SIZE_MIB (QEMU's
#       pflash wants the whole device: 64 MiB on vexpress-a9).
#   flash-image.sh uimage READELF KERNEL.elf BIN OUT ARCH NAME
#       U-Boot legacy image of BIN (the raw binary) for bootm: load
#       address = the lowest p_paddr, entry = the entry's physical address.
#   flash-image.sh iso KERNEL.elf OUT WORKDIR
#       a BIOS-bootable ISO: GRUB loads the Multiboot kernel at once.
#   flash-image.sh layout READELF KERNEL.elf
#       prints "load ENTRY-HEX" and "entry HEX" (the tests compare them).
set -euo pipefail

die() {
	echo "flash-image.sh: $*" >&2
	exit 1
}

# PT_LOAD segments of ELF $2 as "offset paddr filesz memsz vaddr", decimal.
segments() {
	"$1" -lW "$2" | while read -r type off vaddr paddr filesz memsz _; do
		[ "$type" = LOAD ] || continue
		echo "$((off)) $((paddr)) $((filesz)) $((memsz)) $((vaddr))"
	done
}

# The entry point's physical address: e_entry is a virtual address, found
# in the segment holding it and moved by that segment's p_paddr - p_vaddr.
entry_pa() {
	local entry off paddr filesz memsz vaddr
	entry=$(("$("$1" -hW "$2" | awk '/Entry point address:/ { print $4 }')"))
	while read -r off paddr filesz memsz vaddr; do
		if [ "$entry" -ge "$vaddr" ] && [ "$entry" -lt $((vaddr + memsz)) ]; then
			echo $((entry - vaddr + paddr))
			return
		fi
	done < <(segments "$1" "$2")
	die "$2: the entry point $entry is in no loadable segment"
}

# The lowest physical address a segment with file contents loads at: where the raw binary starts.
load_pa() {
	segments "$1" "$2" | awk '$3 > 0 { print $2 }' | sort -n | head -n 1
}

# Little-endian 32-bit words, as bytes on stdout.
words() {
	local w
	for w in "$@"; do
		printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((w & 255)) $((w >> 8 & 255)) \
			$((w >> 16 & 255)) $((w >> 24 & 255)))"
	done
}

# NOR flash image: stub, table (see flash_stub.S), segments at 4 KiB boundaries.
make_pflash() {
	local readelf=$1 stub=$2 elf=$3 out=$4 size=$(($5 << 20))
	local stub_size table_size count next off paddr filesz memsz vaddr
	stub_size=$(stat -c %s "$stub")
	[ $((stub_size % 16)) -eq 0 ] || die "$stub: not a multiple of 16 bytes"
	mapfile -t segs < <(segments "$readelf" "$elf")
	count=${#segs[@]}
	[ "$count" -gt 0 ] || die "$elf: no loadable segment"
	table_size=$((12 + 16 * count))
	next=$(((stub_size + table_size + 4095) & ~4095))
	local table=() places=()
	for seg in "${segs[@]}"; do
		read -r off paddr filesz memsz vaddr <<<"$seg"
		table+=("$next" "$paddr" "$filesz" "$memsz")
		places+=("$off $next $filesz")
		next=$(((next + filesz + 4095) & ~4095))
	done
	[ "$next" -le "$size" ] || die "$elf: $next bytes do not fit a $5 MiB flash"
	cp "$stub" "$out.tmp"
	words 0x464c4143 "$(entry_pa "$readelf" "$elf")" "$count" "${table[@]}" >>"$out.tmp"
	for place in "${places[@]}"; do
		read -r off next filesz <<<"$place"
		[ "$filesz" -eq 0 ] && continue
		dd if="$elf" of="$out.tmp" bs=64K iflag=skip_bytes,count_bytes oflag=seek_bytes \
			skip="$off" count="$filesz" seek="$next" conv=notrunc status=none
	done
	truncate -s "$size" "$out.tmp"
	mv "$out.tmp" "$out"
}

# U-Boot legacy image (include/image.h): type kernel, no compression. OS
# "linux" asks bootm for Linux's ARM entry (SVC mode, caches and MMU off,
# r0 = 0), which is what arch/armv7/boot.S expects.
make_uimage() {
	local readelf=$1 elf=$2 bin=$3 out=$4 arch=$5 name=$6
	local load entry
	load=$(printf '%08x' "$(load_pa "$readelf" "$elf")")
	entry=$(printf '%08x' "$(entry_pa "$readelf" "$elf")")
	mkimage -A "$arch" -O linux -T kernel -C none -a "$load" -e "$entry" -n "$name" \
		-d "$bin" "$out" >/dev/null
}

# GRUB from Debian (grub-pc-bin): no menu, no delay; GRUB keeps to the
# screen so the serial console carries Calf's output alone, as under -kernel.
make_iso() {
	local elf=$1 out=$2 work=$3
	rm -rf "$work"
	mkdir -p "$work/boot/grub"
	cp "$elf" "$work/boot/calf.elf"
	cat >"$work/boot/grub/grub.cfg" <<'EOF'
set timeout=0
set timeout_style=hidden
menuentry "Calf" {
	multiboot /boot/calf.elf
	boot
}
EOF
	grub-mkrescue -d /usr/lib/grub/i386-pc -o "$out.tmp" "$work" >"$work.log" 2>&1 || {
		cat "$work.log" >&2
		die "grub-mkrescue failed"
	}
	mv "$out.tmp" "$out"
}

case "${1:-}" in
pflash) shift; make_pflash "$@" ;;
uimage) shift; make_uimage "$@" ;;
iso) shift; make_iso "$@" ;;
layout)
	printf 'load %08x\nentry %08x\n' "$(load_pa "$2" "$3")" "$(entry_pa "$2" "$3")" ;;
*) die "usage: flash-image.sh pflash|uimage|iso|layout ..." ;;
esac
