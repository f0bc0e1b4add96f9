/*
 * harness.h - a minimal unit-test harness for the host tests.
 *
 * TEST(name) defines a case; CHECK(cond) records a failure and continues;
 * harness_main() runs every case (or those named on the command line) and
 * closes with "N passed, N failed", exiting non-zero on any failure.
 */
#ifndef CALF_HOST_HARNESS_H
#define CALF_HOST_HARNESS_H

#include <stdbool.h>
#include <stdio.h>

struct harness_case {
	const char *name;
	void (*fn)(void);
};

extern int harness_case_failures;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			harness_case_failures++;                                     \
			fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                    \
	} while (0)

#define CHECK_EQ(a, b)                                                               \
	do {                                                                         \
		long long a_ = (long long)(a), b_ = (long long)(b);                  \
		if (a_ != b_) {                                                      \
			harness_case_failures++;                                     \
			fprintf(stderr, "  %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, \
				__LINE__, #a, a_, #b, b_);                           \
		}                                                                    \
	} while (0)

/* Run fn in a child process; true when it died of SIGABRT (an mm_panic). */
bool harness_panics(void (*fn)(void));

/* Run the cases; argv may name cases to run. Returns the process exit status. */
int harness_main(const struct harness_case *cases, int ncases, int argc, char **argv);

#define TEST(name) static void name(void)
#define CASE(name) { #name, name }

#endif
