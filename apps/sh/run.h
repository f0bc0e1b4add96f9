/*
 * run.h - running parsed commands: expansion, redirections, pipelines,
 * built-ins in the shell or in a child, programs found along $PATH.
 */
#ifndef SH_RUN_H
#define SH_RUN_H

#include "syntax.h"

/* Run each and-or list of s in turn (stopping once exit has run). Returns
 * the status of the last one, which is also left in shell.status. */
int run_script(const struct script *s);

/* Move fd to a descriptor of 10 or above, close-on-exec, out of the way of
 * the 0-9 a command line can redirect. Returns the new descriptor or -1. */
int run_fd_move_high(int fd);

#endif
