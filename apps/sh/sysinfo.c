/*
 * sysinfo.c - ps, free and poweroff (sysinfo.h): what Calf's kernel tells
 * about its tasks and its frame table, and how it stops.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <calf.h>

#include "shell.h"
#include "sysinfo.h"

int builtin_ps(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		shell_error("ps: no options or arguments are supported");
		return 2;
	}
	struct calf_taskinfo ti;
	int cursor = 0;
	/* PRI is the priority the task runs at (with what waiters lend it), BASE its own. */
	printf("  PID  PPID  PGID S PRI BASE   RES  SHR CMD\n");
	while ((cursor = calf_taskinfo(cursor, &ti)) > 0) {
		ti.cmdline[sizeof(ti.cmdline) - 1] = '\0';
		printf("%5ld %5ld %5ld %c %3u %4u %5lu %4lu %s\n", (long)ti.pid, (long)ti.ppid,
		       (long)ti.pgid, ti.state, ti.prio, ti.base_prio, (unsigned long)ti.resident,
		       (unsigned long)ti.shared, ti.cmdline);
	}
	if (cursor < 0) {
		shell_error("ps: %s", strerror(errno));
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/* One row of free: a count of frames in pages and KiB. */
static void free_row(const char *what, uint32_t pages, uint32_t page_size)
{
	printf("%-10s %8lu %10lu\n", what, (unsigned long)pages,
	       (unsigned long)((uint64_t)pages * page_size / 1024));
}

int builtin_free(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		shell_error("free: no options or arguments are supported");
		return 2;
	}
	struct calf_meminfo mi;
	if (calf_meminfo(&mi) < 0) {
		shell_error("free: %s", strerror(errno));
		return 1;
	}
	printf("%-10s %8s %10s\n", "frames", "pages", "KiB");
	free_row("total", mi.total, mi.page_size);
	free_row("free", mi.free, mi.page_size);
	free_row("used", mi.used, mi.page_size);
	free_row("shared", mi.shared, mi.page_size);
	/* Committed can pass total under overcommit: it is what spaces could claim. */
	free_row("committed", mi.committed, mi.page_size);
	free_row("uncharged", mi.uncharged, mi.page_size);
	printf("commit     %s\n", mi.commit_strict ? "strict" : "overcommit");
	return fflush(stdout) == 0 ? 0 : 1;
}

int builtin_poweroff(int argc, char **argv)
{
	int status = 0;
	if (argc > 2) {
		shell_error("usage: poweroff [STATUS]");
		return 2;
	}
	if (argc == 2) {
		char *end;
		status = (int)strtol(argv[1], &end, 10);
		if (end == argv[1] || *end) {
			shell_error("poweroff: %s: not a number", argv[1]);
			return 2;
		}
	}
	fflush(NULL);
	calf_poweroff(status);
	shell_error("poweroff: %s", strerror(errno));
	return 1;
}
