/*
 * selftest.h - a hook for test images. kmain() calls kernel_selftest() once,
 * after interrupts and the tick are up and before the first app starts. The
 * kernel's own definition is empty (weak); a test image links a stronger one
 * (see tests/target/kfault.c).
 */
#ifndef CALF_KERNEL_SELFTEST_H
#define CALF_KERNEL_SELFTEST_H

void kernel_selftest(void);

#endif
