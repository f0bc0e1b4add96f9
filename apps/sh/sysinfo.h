/*
 * sysinfo.h - the built-ins that ask the Calf kernel: ps (its tasks),
 * free (its frame table) and poweroff.
 */
#ifndef SH_SYSINFO_H
#define SH_SYSINFO_H

int builtin_ps(int argc, char **argv);
int builtin_free(int argc, char **argv);
int builtin_poweroff(int argc, char **argv);

#endif
