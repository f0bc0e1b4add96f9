/*
 * demo.c - fork over copy-on-write memory, seen from both sides.
 *
 * The parent fills a 64 KiB buffer and forks. Right after fork both share
 * every frame read-only; the child's writes copy only the pages it touches,
 * and the parent still sees its own data. The frame counts show it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <calf.h>

#define BUF_SIZE (64 * 1024)
#define CHILD_PAGES 4

static void show(const char *who, const char *when)
{
	struct calf_meminfo mi;
	calf_meminfo(&mi);
	printf("  [%s] %-22s free %4lu  shared %4lu  (cow copies %lu, reuses %lu)\n", who, when,
	       (unsigned long)mi.free, (unsigned long)mi.shared, (unsigned long)mi.cow_copies,
	       (unsigned long)mi.cow_reuses);
}

int main(void)
{
	struct calf_meminfo mi;
	calf_meminfo(&mi);
	printf("demo: %lu frames of %lu bytes, %lu free\n", (unsigned long)mi.total,
	       (unsigned long)mi.page_size, (unsigned long)mi.free);

	char *buf = malloc(BUF_SIZE);
	if (!buf) {
		perror("malloc");
		return 1;
	}
	memset(buf, 'P', BUF_SIZE);
	printf("parent %d filled %d KiB with 'P'\n", getpid(), BUF_SIZE / 1024);
	show("parent", "before fork");
	fflush(stdout);

	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		show("child", "after fork");
		for (int i = 0; i < CHILD_PAGES; i++)
			buf[i * 4096] = 'C';
		show("child", "after writing 4 pages");
		printf("child %d sees  buf[0]='%c' buf[4096]='%c' buf[60000]='%c'\n", getpid(), buf[0],
		       buf[4096], buf[60000]);
		exit(0);
	}

	int status;
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	printf("parent %d sees buf[0]='%c' buf[4096]='%c' buf[60000]='%c'\n", getpid(), buf[0],
	       buf[4096], buf[60000]);
	printf("child exited with status %d\n", WEXITSTATUS(status));
	show("parent", "after child exit");
	buf[0] = 'p';
	show("parent", "after its own write");
	bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && buf[4096] == 'P';
	free(buf);
	printf("demo: %s\n", ok ? "done" : "FAILED");
	return ok ? 0 : 1;
}
