#!/usr/bin/env python3
"""irqoff.py ELF EXEC-LOG [FIRST LAST] - the longest interrupts-off sections
of an armv7 kernel in a QEMU instruction trace.

Make the trace with one instruction per block, e.g.
    build/vexpress-a9/calf.run -icount shift=0,align=off,sleep=off \\
        -singlestep -d exec,nochain -D /tmp/exec.log
and pass the kernel ELF (build/vexpress-a9/calf.elf). FIRST and LAST (line
numbers of the log) limit the window. A section opens at an exception
vector (the CPU masks IRQs on entry) or a CPSID and closes at the next
CPSIE or RFE; sections are grouped by the functions that opened and closed
them, and the longest of each group is printed, in instructions (under
-icount one instruction is one virtual nanosecond). docs/design.md quotes
its output. Needs arm-none-eabi-objdump (gcc-arm-none-eabi) and python3.
"""
import bisect
import re
import subprocess
import sys


def disassemble(elf):
    """Instruction text by address, and the sorted (address, symbol) list."""
    out = subprocess.run(["arm-none-eabi-objdump", "-d", "--no-show-raw-insn", elf],
                         check=True, capture_output=True, text=True).stdout
    insns, syms = {}, []
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]{8}) <(.*)>:", line)
        if m:
            syms.append((int(m.group(1), 16), m.group(2)))
        elif len(line) > 10 and line[8:10] == ":\t":
            insns[int(line[:8], 16)] = line[10:]
    syms.sort()
    return insns, syms


def main():
    if len(sys.argv) not in (3, 5):
        sys.exit(__doc__)
    insns, syms = disassemble(sys.argv[1])
    starts = [s[0] for s in syms]
    vectors = next(a for a, name in syms if name == "arch_vectors")

    def symbol(pc):
        i = bisect.bisect_right(starts, pc) - 1
        return syms[i][1] if i >= 0 else "?"

    first, last = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) == 5 else (1, None)
    longest, opened, start, n = {}, None, 0, 0
    with open(sys.argv[2], errors="replace") as log:
        for lineno, line in enumerate(log, 1):
            if lineno < first or (last and lineno > last):
                continue
            m = re.search(r"/([0-9a-f]{8})/", line)
            if not m:
                continue
            pc, n = int(m.group(1), 16), n + 1
            text = insns.get(pc, "")
            if opened is None and (vectors <= pc < vectors + 32 or text.startswith("cpsid")):
                opened, start = ("vector" if text.startswith("b\t") else symbol(pc)), n
            elif opened is not None and (text.startswith("cpsie") or text.startswith("rfe")):
                key = (opened, symbol(pc))
                longest[key] = max(longest.get(key, 0), n - start)
                opened = None
    for (a, b), v in sorted(longest.items(), key=lambda kv: -kv[1])[:20]:
        print(f"{v:8d}  {a} .. {b}")


if __name__ == "__main__":
    main()
