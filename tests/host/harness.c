/* harness.c - runs host test cases and prints the closing count. */
#include "harness.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int harness_case_failures;

/* True when case name was asked for (or nothing was asked for). */
static bool wanted(const char *name, int argc, char **argv)
{
	bool any = false;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		any = true;
		if (strcmp(argv[i], name) == 0)
			return true;
	}
	return !any;
}

bool harness_panics(void (*fn)(void))
{
	fflush(NULL); /* the child must not print the parent's buffered output again */
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

int harness_main(const struct harness_case *cases, int ncases, int argc, char **argv)
{
	int passed = 0, failed = 0;
	for (int i = 0; i < ncases; i++) {
		if (!wanted(cases[i].name, argc, argv))
			continue;
		harness_case_failures = 0;
		cases[i].fn();
		if (harness_case_failures) {
			failed++;
			printf("FAIL %s\n", cases[i].name);
		} else {
			passed++;
			printf("PASS %s\n", cases[i].name);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
