/* hello.c - the smallest Calf app. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("hello from %s, pid %d\n", argc > 0 ? argv[0] : "?", getpid());
	return 0;
}
