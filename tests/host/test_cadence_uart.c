/*
 * test_cadence_uart.c - the Zynq's Cadence UART driver (drivers/cadence_uart.c
 * as it ships) against a fake register block in host memory: the rate's
 * divisors (UG585 19.2.3), 8N1, FIFO resets with the UART left disabled,
 * then enabled with every interrupt masked and a one-byte receive trigger.
 */
#include <stdint.h>

#include <drivers/cadence_uart.h>

#include "harness.h"

/* The UART's 4 KiB of registers, as words. */
static uint32_t regs[1024];

#define CR (regs[0x00 / 4])
#define MR (regs[0x04 / 4])
#define IDR (regs[0x0C / 4])
#define ISR (regs[0x14 / 4])
#define BAUDGEN (regs[0x18 / 4])
#define RXWM (regs[0x20 / 4])
#define SR (regs[0x2C / 4])
#define FIFO (regs[0x30 / 4])
#define BAUDDIV (regs[0x34 / 4])

/* Fill the block with what a loader may have left: odd settings, transmitter idle. */
static void regs_dirty(void)
{
	for (unsigned i = 0; i < 1024; i++)
		regs[i] = 0;
	CR = 0x114;
	MR = 0x3F;
	BAUDGEN = 1;
	BAUDDIV = 15;
}

/* The rate the registers give from clk_hz. */
static uint32_t rate(uint32_t clk_hz)
{
	return clk_hz / (BAUDGEN * (BAUDDIV + 1u));
}

TEST(divisors_for_115200_from_100_mhz)
{
	regs_dirty();
	cadence_uart_line_set((uintptr_t)regs, 100000000u, 115200u);
	CHECK_EQ(BAUDDIV, 6);   /* 7 samples a bit */
	CHECK_EQ(BAUDGEN, 124); /* 100e6 / (124 * 7) = 115207 */
	CHECK(rate(100000000u) > 115200u - 115200u / 100 && rate(100000000u) < 115200u + 115200u / 100);
}

TEST(divisors_round_to_the_nearest_rate)
{
	regs_dirty();
	cadence_uart_line_set((uintptr_t)regs, 50000000u, 115200u);
	CHECK_EQ(BAUDGEN, 62); /* 50e6 / (7 * 115200) = 62.006 */
	cadence_uart_line_set((uintptr_t)regs, 33333333u, 9600u);
	CHECK_EQ(BAUDGEN, 496); /* 496.03 */
	cadence_uart_line_set((uintptr_t)regs, 1000u, 115200u);
	CHECK_EQ(BAUDGEN, 1); /* a clock too slow still gives a legal divisor */
}

TEST(line_is_8n1_and_the_fifos_reset_with_the_uart_off)
{
	regs_dirty();
	cadence_uart_line_set((uintptr_t)regs, 100000000u, 115200u);
	CHECK_EQ(MR, 0x20); /* CHRL 8 bits, PAR none, 1 stop bit, uart_ref_clk */
	CHECK_EQ(CR, 0x12B); /* RXRES, TXRES, RX_DIS, TX_DIS, STPBRK: nothing enabled */
}

TEST(init_enables_both_ways_with_interrupts_masked)
{
	regs_dirty();
	cadence_uart_line_set((uintptr_t)regs, 100000000u, 115200u);
	cadence_uart_init((uintptr_t)regs);
	CHECK_EQ(CR, 0x114); /* RX_EN, TX_EN, STPBRK; no DIS bits */
	CHECK_EQ(IDR, 0x1FFF);
	CHECK_EQ(ISR, 0x1FFF); /* stale status cleared */
	CHECK_EQ(RXWM, 1);     /* every byte raises the receive trigger */
}

TEST(getc_reads_the_fifo_only_when_not_empty)
{
	regs_dirty();
	SR = 0x2; /* REMPTY */
	FIFO = 'x';
	CHECK_EQ(cadence_uart_getc((uintptr_t)regs), -1);
	SR = 0;
	CHECK_EQ(cadence_uart_getc((uintptr_t)regs), 'x');
	SR = 0x10; /* TFUL */
	CHECK(!cadence_uart_tx_ready((uintptr_t)regs));
	SR = 0;
	CHECK(cadence_uart_tx_ready((uintptr_t)regs));
}

static const struct harness_case cases[] = {
	CASE(divisors_for_115200_from_100_mhz),
	CASE(divisors_round_to_the_nearest_rate),
	CASE(line_is_8n1_and_the_fifos_reset_with_the_uart_off),
	CASE(init_enables_both_ways_with_interrupts_masked),
	CASE(getc_reads_the_fifo_only_when_not_empty),
};

int main(int argc, char **argv)
{
	return harness_main(cases, (int)(sizeof(cases) / sizeof(cases[0])), argc, argv);
}
