/* test_frame.c - the frame table: alloc/free, counts, exhaustion, saturation, commit counts. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mm/frame.h>
#include "harness.h"
#include "swpmap.h"

#define NFRAMES 16

static struct frame_stats stats(void)
{
	struct frame_stats st;
	frame_stats_get(&st);
	return st;
}

TEST(alloc_until_exhausted_then_free_all)
{
	swpmap_ram_init(NFRAMES);
	paddr_t got[NFRAMES];
	bool seen_zero = false;
	for (int i = 0; i < NFRAMES; i++) {
		CHECK_EQ(frame_alloc(&got[i]), 0);
		CHECK_EQ(frame_refcount(got[i]), 1);
		seen_zero |= got[i] == 0;
	}
	CHECK(seen_zero); /* physical 0 is a real frame, handed out like any other */
	paddr_t extra = 0x1234;
	CHECK_EQ(frame_alloc(&extra), -ENOMEM);
	CHECK_EQ(extra, 0x1234);
	CHECK_EQ(stats().free, 0);
	CHECK_EQ(stats().used, NFRAMES);
	for (int i = 0; i < NFRAMES; i++)
		frame_unref(got[i]);
	CHECK_EQ(stats().free, NFRAMES);
	CHECK_EQ(stats().used, 0);
	swpmap_ram_fini();
}

TEST(freed_frame_is_reused_first)
{
	swpmap_ram_init(NFRAMES);
	paddr_t a, b;
	CHECK_EQ(frame_alloc(&a), 0);
	frame_unref(a);
	CHECK_EQ(frame_alloc(&b), 0);
	CHECK_EQ(a, b); /* LIFO: the cache-warm frame comes back */
	frame_unref(b);
	swpmap_ram_fini();
}

TEST(alloc_zeroed_clears_old_contents)
{
	swpmap_ram_init(2);
	paddr_t a;
	CHECK_EQ(frame_alloc(&a), 0);
	((uint8_t *)pmap_kva(a))[100] = 0xAB;
	frame_unref(a);
	CHECK_EQ(frame_alloc_zeroed(&a), 0);
	CHECK_EQ(((uint8_t *)pmap_kva(a))[100], 0);
	frame_unref(a);
	swpmap_ram_fini();
}

TEST(ref_unref_moves_shared_counter)
{
	swpmap_ram_init(NFRAMES);
	paddr_t a;
	CHECK_EQ(frame_alloc(&a), 0);
	CHECK_EQ(stats().shared, 0);
	CHECK_EQ(frame_ref(a), 0);
	CHECK_EQ(stats().shared, 1);
	CHECK_EQ(frame_ref(a), 0);
	CHECK_EQ(frame_refcount(a), 3);
	CHECK_EQ(stats().shared, 1);
	frame_unref(a);
	CHECK_EQ(stats().shared, 1);
	frame_unref(a);
	CHECK_EQ(stats().shared, 0);
	CHECK_EQ(stats().free, NFRAMES - 1);
	frame_unref(a);
	CHECK_EQ(stats().free, NFRAMES);
	swpmap_ram_fini();
}

TEST(ref_saturates_with_error_not_wrap)
{
	swpmap_ram_init(2);
	paddr_t a;
	CHECK_EQ(frame_alloc(&a), 0);
	for (uint32_t i = 1; i < FRAME_REF_MAX; i++)
		CHECK_EQ(frame_ref(a), 0);
	CHECK_EQ(frame_refcount(a), FRAME_REF_MAX);
	CHECK_EQ(frame_ref(a), -EOVERFLOW);
	CHECK_EQ(frame_refcount(a), FRAME_REF_MAX);
	for (uint32_t i = 0; i < FRAME_REF_MAX; i++)
		frame_unref(a);
	CHECK_EQ(stats().free, 2);
	CHECK_EQ(stats().shared, 0);
	swpmap_ram_fini();
}

TEST(overcommit_counts_promises_and_never_refuses)
{
	swpmap_ram_init(NFRAMES);
	CHECK(!stats().strict); /* the default mode */
	CHECK_EQ(frame_commit(3 * NFRAMES), 0);
	CHECK_EQ(stats().committed, 3 * NFRAMES);
	paddr_t a;
	CHECK_EQ(frame_alloc_uncharged(&a, false), 0);
	CHECK_EQ(stats().uncharged, 1);
	frame_unref(a);
	CHECK_EQ(stats().uncharged, 0);
	frame_uncommit(3 * NFRAMES);
	CHECK_EQ(stats().committed, 0);
	swpmap_ram_fini();
}

TEST(strict_refuses_promises_and_uncharged_frames_beyond_total)
{
	swpmap_ram_init(NFRAMES);
	frame_commit_mode_set(FRAME_COMMIT_STRICT);
	CHECK(stats().strict);
	CHECK_EQ(frame_commit(NFRAMES - 2), 0);
	paddr_t a, b, c;
	CHECK_EQ(frame_alloc_uncharged(&a, false), 0);
	CHECK_EQ(frame_alloc_uncharged(&b, true), 0);
	/* 14 frames are still free, but all of them are promised. */
	CHECK_EQ(stats().free, NFRAMES - 2);
	CHECK_EQ(frame_alloc_uncharged(&c, false), -ENOMEM);
	CHECK_EQ(frame_commit(1), -ENOMEM);
	CHECK_EQ(stats().committed, NFRAMES - 2);
	CHECK_EQ(stats().uncharged, 2);
	CHECK_EQ(stats().free, NFRAMES - 2);
	/* A promised frame is one frame_alloc() still gets. */
	CHECK_EQ(frame_alloc(&c), 0);
	frame_unref(c);
	frame_unref(a);
	CHECK_EQ(stats().uncharged, 1);
	CHECK_EQ(frame_commit(1), 0);
	CHECK_EQ(frame_commit(1), -ENOMEM);
	frame_uncommit(NFRAMES - 1);
	frame_unref(b);
	CHECK_EQ(stats().committed, 0);
	CHECK_EQ(stats().uncharged, 0);
	CHECK_EQ(frame_commit(NFRAMES), 0);
	CHECK_EQ(frame_commit(1), -ENOMEM);
	frame_uncommit(NFRAMES);
	swpmap_ram_fini();
}

TEST(uncharged_mark_leaves_with_the_last_reference)
{
	swpmap_ram_init(NFRAMES);
	paddr_t a, b;
	CHECK_EQ(frame_alloc_uncharged(&a, false), 0);
	CHECK_EQ(frame_ref(a), 0);
	frame_unref(a);
	CHECK_EQ(stats().uncharged, 1); /* still mapped once */
	frame_unref(a);
	CHECK_EQ(stats().uncharged, 0);
	/* The same frame comes back (LIFO) charged: its old mark must not count twice. */
	CHECK_EQ(frame_alloc(&b), 0);
	CHECK_EQ(a, b);
	frame_unref(b);
	CHECK_EQ(stats().uncharged, 0);
	CHECK_EQ(stats().free, NFRAMES);
	swpmap_ram_fini();
}

static void unref_free_frame(void)
{
	swpmap_ram_init(2);
	paddr_t a;
	frame_alloc(&a);
	frame_unref(a);
	frame_unref(a);
}

static void uncommit_more_than_committed(void)
{
	swpmap_ram_init(2);
	frame_commit(1);
	frame_uncommit(2);
}

static void ref_unmanaged_frame(void)
{
	swpmap_ram_init(2);
	frame_ref(5 * PAGE_SIZE);
}

TEST(broken_invariants_panic)
{
	CHECK(harness_panics(unref_free_frame));
	CHECK(harness_panics(ref_unmanaged_frame));
	CHECK(harness_panics(uncommit_more_than_committed));
}

int main(int argc, char **argv)
{
	static const struct harness_case cases[] = {
		CASE(alloc_until_exhausted_then_free_all),
		CASE(freed_frame_is_reused_first),
		CASE(alloc_zeroed_clears_old_contents),
		CASE(ref_unref_moves_shared_counter),
		CASE(ref_saturates_with_error_not_wrap),
		CASE(overcommit_counts_promises_and_never_refuses),
		CASE(strict_refuses_promises_and_uncharged_frames_beyond_total),
		CASE(uncharged_mark_leaves_with_the_last_reference),
		CASE(broken_invariants_panic),
	};
	return harness_main(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
