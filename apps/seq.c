/*
 * seq [FIRST [INCREMENT]] LAST - print the integers from FIRST (default 1)
 * to LAST by INCREMENT (default 1), one a line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* The integer in s; exits with a message when s is not one. */
static long long number(const char *s)
{
	char *end;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (end == s || *end || errno) {
		fprintf(stderr, "seq: %s: not an integer\n", s);
		exit(2);
	}
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: seq [FIRST [INCREMENT]] LAST\n");
		return 2;
	}
	long long first = argc > 2 ? number(argv[1]) : 1;
	long long step = argc > 3 ? number(argv[2]) : 1;
	long long last = number(argv[argc - 1]);
	if (step == 0) {
		fprintf(stderr, "seq: the increment must not be 0\n");
		return 2;
	}
	for (long long i = first; step > 0 ? i <= last : i >= last; i += step) {
		if (printf("%lld\n", i) < 0)
			break;
		/* Stop before i + step would overflow. */
		if ((step > 0 && i > __LONG_LONG_MAX__ - step) ||
		    (step < 0 && i < -__LONG_LONG_MAX__ - 1 - step))
			break;
	}
	if (fflush(stdout) != 0) {
		perror("seq: write");
		return 1;
	}
	return 0;
}
