#!/bin/sh
# check-uimage.sh READELF ELF BIN UIMAGE ARCH - the U-Boot legacy image's
# header (dumpimage -l) against the kernel ELF: load address = the lowest
# p_paddr with file contents, entry = e_entry moved to its physical
# address, data size = the raw binary's, type an ARCH kernel; and the raw
# binary starts with the bytes of the ELF segment that loads first.
readelf=$1
elf=$2
bin=$3
uimage=$4
arch=$5
passed=0
failed=0

# expect NAME WANT GOT: one case, PASS or FAIL.
expect() {
	if [ "$2" = "$3" ]; then
		echo "PASS $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1: want '$2', got '$3'"
		failed=$((failed + 1))
	fi
}

header=$(dumpimage -l "$uimage") || { echo "FAIL dumpimage -l $uimage"; echo "0 passed, 1 failed"; exit 1; }
printf '%s\n' "$header"
field() { printf '%s\n' "$header" | sed -n "s/^$1: *//p"; }
entry=$($readelf -hW "$elf" | awk '/Entry point address:/ { print $4 }')
# "offset vaddr paddr filesz memsz" of each PT_LOAD, in hex as readelf prints them.
segs=$($readelf -lW "$elf" | awk '$1 == "LOAD" { print $2, $3, $4, $5, $6 }')
load=$(printf '%s\n' "$segs" | while read -r off va pa fs ms; do
	[ $((fs)) -gt 0 ] && printf '%08x %d\n' $((pa)) $((off)); done | sort | head -n 1)
entry_pa=$(printf '%s\n' "$segs" | while read -r off va pa fs ms; do
	[ $((entry)) -ge $((va)) ] && [ $((entry)) -lt $((va + ms)) ] && printf '%08x\n' $((entry - va + pa)); done)
expect load_address_is_the_lowest_paddr "${load% *}" "$(field 'Load Address')"
expect entry_is_the_physical_entry "$entry_pa" "$(field 'Entry Point')"
expect data_size_is_the_raw_binary "$(stat -c %s "$bin")" "$(field 'Data Size' | awk '{ print $1 }')"
case $arch in arm) type="ARM Linux Kernel Image (uncompressed)" ;; *) type="Intel x86 Linux Kernel Image (uncompressed)" ;; esac
expect image_type "$type" "$(field 'Image Type')"
same=$(cmp -s -n 4096 "$bin" "$elf" 0 "${load#* }" && echo same || echo differ)
expect raw_binary_starts_with_the_first_segment same "$same"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
