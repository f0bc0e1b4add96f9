/* hello.c - an app built against the installed SDK: it forks, the child
 * runs /bin/echo from the image, and the parent reports the child's status. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("hello-sdk: started as pid %d with %d argument(s): %s\n", getpid(), argc - 1,
	       argc > 1 ? argv[1] : "(none)");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/echo", "echo", "hello-sdk: echo ran in the child", (char *)NULL);
		_exit(127);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		printf("hello-sdk: the child did not run\n");
		return 1;
	}
	printf("hello-sdk: child %d exited with %d\n", pid, WEXITSTATUS(status));
	return WEXITSTATUS(status);
}
