/*
 * test_pl011.c - the PL011 driver's line set-up (drivers/pl011.c as it
 * ships) against a fake register block in host memory: the divisors of
 * DDI 0183 3.3.6, 8N1, the FIFO bit kept, the UART left disabled.
 */
#include <stdint.h>

#include <drivers/pl011.h>

#include "harness.h"

/* A PL011's 4 KiB of registers, as words. */
static uint32_t regs[1024];

#define IBRD (regs[0x24 / 4])
#define FBRD (regs[0x28 / 4])
#define LCR_H (regs[0x2C / 4])
#define CR (regs[0x30 / 4])

/* Fill the block with what a loader may have left: UART on, odd settings. */
static void regs_dirty(uint32_t lcr_h)
{
	for (unsigned i = 0; i < 1024; i++)
		regs[i] = 0;
	IBRD = 1;
	FBRD = 63;
	LCR_H = lcr_h;
	CR = 0x301;
}

TEST(divisors_for_38400_from_24_mhz)
{
	regs_dirty(0);
	pl011_line_set((uintptr_t)regs, 24000000u, 38400u);
	CHECK_EQ(IBRD, 39); /* 24e6 / (16 * 38400) = 39.0625 */
	CHECK_EQ(FBRD, 4);  /* 0.0625 * 64 */
}

TEST(divisors_for_115200_round_the_fraction)
{
	regs_dirty(0);
	pl011_line_set((uintptr_t)regs, 24000000u, 115200u);
	CHECK_EQ(IBRD, 13); /* 13.0208...: 64ths 1.33, rounded to 1 */
	CHECK_EQ(FBRD, 1);
	pl011_line_set((uintptr_t)regs, 24000000u, 57600u);
	CHECK_EQ(IBRD, 26); /* 26.0416...: 64ths 2.67, rounded up to 3 */
	CHECK_EQ(FBRD, 3);
}

TEST(line_is_8n1_and_the_fifo_bit_is_kept)
{
	regs_dirty(0xFFu); /* FEN, parity, two stop bits, break, 5 bits */
	pl011_line_set((uintptr_t)regs, 24000000u, 38400u);
	CHECK_EQ(LCR_H, 0x70); /* WLEN 8, FEN kept; PEN, STP2, BRK clear */
	regs_dirty(0x0Eu);
	pl011_line_set((uintptr_t)regs, 24000000u, 38400u);
	CHECK_EQ(LCR_H, 0x60); /* FEN stays off */
}

TEST(uart_is_left_disabled_for_init)
{
	regs_dirty(0);
	pl011_line_set((uintptr_t)regs, 24000000u, 38400u);
	CHECK_EQ(CR, 0);
	pl011_init((uintptr_t)regs);
	CHECK_EQ(CR, 0x301); /* UARTEN, TXE, RXE */
}

static const struct harness_case cases[] = {
	CASE(divisors_for_38400_from_24_mhz),
	CASE(divisors_for_115200_round_the_fraction),
	CASE(line_is_8n1_and_the_fifo_bit_is_kept),
	CASE(uart_is_left_disabled_for_init),
};

int main(int argc, char **argv)
{
	return harness_main(cases, (int)(sizeof(cases) / sizeof(cases[0])), argc, argv);
}
