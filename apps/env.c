/* env - print the environment, one NAME=value a line. */
#include <stdio.h>

extern char **environ;

int main(void)
{
	for (char **e = environ; e && *e; e++)
		puts(*e);
	return fflush(stdout) == 0 ? 0 : 1;
}
