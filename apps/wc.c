/*
 * wc [-lwc] [FILE...] - count lines, words and bytes of each file
 * (standard input for none or "-"), with a total line for several. The
 * output is POSIX's: the counts asked for, separated by spaces, then the
 * file name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
	unsigned long lines, words, bytes;
};

static bool show_lines, show_words, show_bytes;

/* Count what fd holds into *c; 0, or 1 after reporting a read failure. */
static int count(int fd, const char *name, struct counts *c)
{
	static char buf[4096];
	bool in_word = false;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (n == 0)
			return 0;
		c->bytes += (unsigned long)n;
		for (ssize_t i = 0; i < n; i++) {
			char ch = buf[i];
			bool space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' ||
				     ch == '\f';
			c->lines += ch == '\n';
			c->words += !space && !in_word;
			in_word = !space;
		}
	}
}

static void print(const struct counts *c, const char *name)
{
	const char *sep = "";
	if (show_lines) {
		printf("%lu", c->lines);
		sep = " ";
	}
	if (show_words) {
		printf("%s%lu", sep, c->words);
		sep = " ";
	}
	if (show_bytes)
		printf("%s%lu", sep, c->bytes);
	printf(name ? " %s\n" : "\n", name);
}

/* Count one operand (or standard input when name is NULL) and print it. 0 or 1. */
static int wc_one(const char *name, struct counts *total)
{
	struct counts c = { 0, 0, 0 };
	int status;
	if (!name || strcmp(name, "-") == 0) {
		status = count(0, "standard input", &c);
	} else {
		int fd = open(name, O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
			return 1;
		}
		status = count(fd, name, &c);
		close(fd);
	}
	print(&c, name);
	total->lines += c.lines;
	total->words += c.words;
	total->bytes += c.bytes;
	return status;
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'l')
				show_lines = true;
			else if (*o == 'w')
				show_words = true;
			else if (*o == 'c')
				show_bytes = true;
			else {
				fprintf(stderr, "usage: wc [-lwc] [FILE...]\n");
				return 2;
			}
		}
	}
	if (!show_lines && !show_words && !show_bytes)
		show_lines = show_words = show_bytes = true;
	struct counts total = { 0, 0, 0 };
	int status = 0;
	if (i == argc)
		status = wc_one(NULL, &total);
	for (int k = i; k < argc; k++)
		status |= wc_one(argv[k], &total);
	if (argc - i > 1)
		print(&total, "total");
	return fflush(stdout) == 0 ? status : 1;
}
