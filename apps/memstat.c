/*
 * memstat - every count calf_meminfo reports, one "name value" a line: the
 * frame table (in frames of page_size bytes), the fault counters and the
 * commit accounting (<calf/abi.h> says what each means).
 */
#include <stdio.h>

#include <calf.h>

int main(void)
{
	struct calf_meminfo mi;
	if (calf_meminfo(&mi) < 0) {
		perror("memstat");
		return 1;
	}
	const struct {
		const char *name;
		uint32_t value;
	} rows[] = {
		{ "page_size", mi.page_size }, { "total", mi.total },
		{ "free", mi.free },           { "used", mi.used },
		{ "shared", mi.shared },       { "cow_copies", mi.cow_copies },
		{ "cow_reuses", mi.cow_reuses }, { "zero_fills", mi.zero_fills },
		{ "table_copies", mi.table_copies }, { "table_reuses", mi.table_reuses },
		{ "committed", mi.committed }, { "uncharged", mi.uncharged },
		{ "commit_strict", mi.commit_strict },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		printf("%-13s %lu\n", rows[i].name, (unsigned long)rows[i].value);
	return fflush(stdout) == 0 ? 0 : 1;
}
