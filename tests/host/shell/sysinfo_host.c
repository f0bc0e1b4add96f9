/*
 * sysinfo_host.c - the host build's stand-in for apps/sh/sysinfo.c: ps,
 * free and poweroff ask the Calf kernel, which a Linux host does not have.
 * They say so and fail, so the rest of the shell can be tested here.
 */
#include <stdio.h>

int builtin_ps(int argc, char **argv);
int builtin_free(int argc, char **argv);
int builtin_poweroff(int argc, char **argv);

/* Report that argv[0] needs Calf; status 1. */
static int calf_only(char **argv)
{
	fprintf(stderr, "sh: %s: needs the Calf kernel (host build)\n", argv[0]);
	return 1;
}

int builtin_ps(int argc, char **argv)
{
	(void)argc;
	return calf_only(argv);
}

int builtin_free(int argc, char **argv)
{
	(void)argc;
	return calf_only(argv);
}

int builtin_poweroff(int argc, char **argv)
{
	(void)argc;
	return calf_only(argv);
}
