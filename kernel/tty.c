/*
 * tty.c - the console as a terminal (see tty.h).
 *
 * The input ring holds, in order: finished input from tail to done (whole
 * lines in canonical mode, every byte otherwise) and the line being typed
 * from done to head. The receive interrupt only ever writes at head and
 * moves done and head forward (an erase moves head back, never below
 * done); a reader only moves tail. So the bytes a reader copies, between
 * tail and done, hold still while it copies them with interrupts on,
 * except across a flush (Ctrl-C), which the reader detects by its
 * generation count and answers by reading again. Every index, the line
 * ends, the mode and the foreground group change under the scheduler
 * lock, and readers check and block under it, so no wakeup is lost.
 */
#include "tty.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>

#include <calf/abi.h>
#include "arch.h"
#include "console.h"
#include "sched.h"
#include "session.h"
#include "signal.h"
#include "task.h"

#define IN_MASK (TTY_IN_SIZE - 1u)
#define TTY_MODES (CALF_TTY_ICANON | CALF_TTY_ECHO | CALF_TTY_ISIG | CALF_TTY_TOSTOP)
#define TTY_BOUNCE (TTY_LINE_MAX + 1u) /* a whole line with its end, in one read */
#define IO_CHUNK 256u

_Static_assert((TTY_IN_SIZE & IN_MASK) == 0, "the input ring wraps by mask");
_Static_assert(TTY_LINE_MAX + 1u < TTY_IN_SIZE, "a line fits in the ring");

static struct {
	char buf[TTY_IN_SIZE];
	uint32_t tail;            /* next byte a reader takes */
	uint32_t done;            /* end of the finished input */
	uint32_t head;            /* end of the line being typed (== done without ICANON) */
	uint32_t ends[TTY_LINES]; /* where each finished line ends; an empty one is end of file */
	uint32_t ends_head, ends_tail;
	uint32_t gen;             /* counts flushes: a copy begun before one is stale */
	uint32_t mode;            /* CALF_TTY_* */
	int fg_pgrp;              /* the foreground process group: Ctrl-C's target */
	bool rwait;               /* the reader sleeps for input */
	struct task *reader;      /* the one task reading, or NULL */
} tty = {
	.mode = CALF_TTY_ICANON | CALF_TTY_ECHO | CALF_TTY_ISIG,
	.fg_pgrp = 1, /* init's group until someone else is put in front */
};

/* Queue an echo without sleeping (interrupts are off): a few bytes. */
static void tty_echo(const char *s, size_t n)
{
	if (tty.mode & CALF_TTY_ECHO)
		console_write(s, n, false);
}

/* Finished lines waiting. Lock held. */
static uint32_t tty_lines(void)
{
	return tty.ends_head - tty.ends_tail;
}

/* Wake the reader if it sleeps for input. Lock held. */
static void tty_wake_reader_locked(void)
{
	if (tty.rwait) {
		tty.rwait = false;
		sched_wakeup_locked(&tty.buf);
	}
}

/* Finish the typed line (possibly empty: end of file) where head is. False when no end is free. */
static bool tty_line_end_locked(void)
{
	if (tty_lines() == TTY_LINES)
		return false;
	tty.ends[tty.ends_head++ % TTY_LINES] = tty.head;
	tty.done = tty.head;
	tty_wake_reader_locked();
	return true;
}

/* Append c to the input if the ring has room for it (and keep reserve bytes free). */
static bool tty_put_locked(char c, uint32_t reserve)
{
	if (TTY_IN_SIZE - (tty.head - tty.tail) <= reserve)
		return false;
	tty.buf[tty.head++ & IN_MASK] = c;
	return true;
}

/*
 * Ctrl-C, Ctrl-\ or Ctrl-Z with ISIG: flush the input (POSIX 11.1.9: INTR and
 * QUIT flush the input queue, unless NOFLSH, which Calf lacks), echo, and
 * signal the foreground group. 64 task slots to scan at most. Lock held.
 */
static void tty_signal_locked(int sig, const char *echo)
{
	tty.tail = tty.done = tty.head;
	tty.ends_tail = tty.ends_head;
	tty.gen++;
	tty_echo(echo, 3);
	task_kill_group_locked(tty.fg_pgrp, sig);
}

/* Canonical editing of one byte (not a signal character). Lock held. */
static void tty_canon_input_locked(char c)
{
	if (c == '\r')
		c = '\n'; /* ICRNL: a terminal's Enter sends CR */
	switch (c) {
	case '\b':
	case TTY_VERASE:
		if (tty.head != tty.done) {
			tty.head--;
			tty_echo("\b \b", 3);
		}
		return;
	case TTY_VKILL:
		/* POSIX 11.2.5 ECHOK: echo a newline after the kill, not a per-character erase. */
		if (tty.head != tty.done) {
			tty.head = tty.done;
			tty_echo("^U\n", 3);
		}
		return;
	case TTY_VEOF:
		tty_line_end_locked(); /* the line as typed, no newline; at its start, end of file */
		return;
	case '\n':
		if (tty_lines() < TTY_LINES && tty_put_locked(c, 0)) {
			tty_echo("\n", 1);
			tty_line_end_locked();
		}
		return;
	default:
		/* Keep one byte for the line's newline; a full line takes no more (as a beep would). */
		if (tty.head - tty.done < TTY_LINE_MAX && tty_put_locked(c, 1))
			tty_echo(&c, 1);
		return;
	}
}

/* One received byte through the discipline. Constant work but for one 64-slot scan. Lock held. */
static void tty_input_locked(char c)
{
	if (tty.mode & CALF_TTY_ISIG) {
		if (c == TTY_VINTR) {
			tty_signal_locked(SIGINT, "^C\n");
			return;
		}
		if (c == TTY_VQUIT) {
			tty_signal_locked(SIGQUIT, "^\\\n");
			return;
		}
		if (c == TTY_VSUSP) {
			/* POSIX 11.1.9: SUSP sends SIGTSTP and flushes as INTR and QUIT do. */
			tty_signal_locked(SIGTSTP, "^Z\n");
			return;
		}
	}
	if (tty.mode & CALF_TTY_ICANON) {
		tty_canon_input_locked(c);
		return;
	}
	if (tty_put_locked(c, 0)) {
		tty.done = tty.head;
		tty_echo(&c, 1);
		tty_wake_reader_locked();
	}
}

void console_rx_byte(char c)
{
	uint32_t saved = sched_lock();
	tty_input_locked(c);
	sched_unlock(saved);
}

/* Switch modes, keeping what was typed: raw takes the line being typed, canonical one line. */
static void tty_mode_set_locked(uint32_t mode)
{
	bool was_canon = tty.mode & CALF_TTY_ICANON, canon = mode & CALF_TTY_ICANON;
	if (was_canon && !canon) {
		tty.done = tty.head;
		tty.ends_tail = tty.ends_head; /* raw reads take bytes, not lines */
	} else if (!was_canon && canon && tty.tail != tty.done) {
		tty_line_end_locked(); /* what arrived raw reads as one line */
	}
	tty.mode = mode;
	tty_wake_reader_locked();
}

/* Become the one task reading the console: another waits until the first is done. */
static int tty_reader_claim(void)
{
	uint32_t saved = sched_lock();
	while (tty.reader) {
		if (current->pending_sig) {
			sched_unlock(saved);
			return -ERESTARTSYS; /* EINTR, or a restart with SA_RESTART (kernel/signal.h) */
		}
		sched_block_locked(&tty.reader, true);
	}
	tty.reader = current;
	sched_unlock(saved);
	return 0;
}

static void tty_reader_release(void)
{
	uint32_t saved = sched_lock();
	tty.reader = NULL;
	sched_wakeup_locked(&tty.reader);
	sched_unlock(saved);
}

/* True when a read would return now: a finished line (canonical) or any byte. Lock held. */
static bool tty_readable_locked(void)
{
	if (tty.mode & CALF_TTY_ICANON)
		return tty_lines() > 0;
	return tty.tail != tty.done;
}

/* True when the console is the caller's controlling terminal (tty.h). */
static bool tty_is_ctty(void)
{
	return current->sid == SESSION_CONSOLE; /* only setsid changes it, and only for itself */
}

/*
 * POSIX XBD 11.1.4, reading the controlling terminal: a task of a
 * background group sends SIGTTIN to its group (whose default stops it)
 * and the read ends to be restarted once the task runs again (a handler
 * without SA_RESTART makes it EINTR); when the task ignores or blocks
 * SIGTTIN or its group is orphaned (nobody would continue it), the read
 * fails with -EIO and no signal is sent. 0 when the caller may read.
 * Lock held; one scan of the task slots at most.
 */
static int tty_read_check_locked(void)
{
	if (!tty_is_ctty() || current->pgid == tty.fg_pgrp)
		return 0;
	if (signal_ignored_or_blocked_locked(current, SIGTTIN) ||
	    session_group_orphaned_locked(current->sid, current->pgid))
		return -EIO;
	task_kill_group_locked(current->pgid, SIGTTIN);
	return -ERESTARTSYS;
}

/*
 * Wait for input and say what the next read takes: the count (at most
 * max, and at most the rest of the line in canonical mode) starting at
 * *at, with the generation it belongs to; 0 for end of file (taken now);
 * -EAGAIN (O_NONBLOCK, nothing there), -ERESTARTSYS, or for a background
 * reader -ERESTARTSYS or -EIO (tty_read_check_locked: checked again after
 * each wait, as the terminal may have been taken from the reader meanwhile).
 */
static int tty_wait_input(size_t max, bool nonblock, uint32_t *at, uint32_t *gen)
{
	uint32_t saved = sched_lock();
	int ret;
	for (;;) {
		ret = tty_read_check_locked();
		if (ret || tty_readable_locked())
			break;
		ret = nonblock ? -EAGAIN : current->pending_sig ? -ERESTARTSYS : 0;
		if (ret)
			break;
		tty.rwait = true;
		sched_block_locked(&tty.buf, true);
	}
	if (!ret) {
		uint32_t end = tty.done;
		if (tty.mode & CALF_TTY_ICANON) {
			end = tty.ends[tty.ends_tail % TTY_LINES];
			if (end == tty.tail)
				tty.ends_tail++; /* an empty line: end of file, taken */
		}
		uint32_t n = end - tty.tail;
		ret = (int)(n < max ? n : max);
		*at = tty.tail;
		*gen = tty.gen;
	}
	sched_unlock(saved);
	return ret;
}

/* True while no flush came since generation gen. */
static bool tty_gen_same(uint32_t gen)
{
	uint32_t saved = sched_lock(); /* and a compiler barrier: the interrupt changes gen */
	bool same = gen == tty.gen;
	sched_unlock(saved);
	return same;
}

/* Take the n bytes read in generation gen, unless a flush took them first. */
static void tty_consume(uint32_t gen, uint32_t n)
{
	uint32_t saved = sched_lock();
	if (gen == tty.gen) {
		tty.tail += n;
		if (tty_lines() && tty.ends[tty.ends_tail % TTY_LINES] == tty.tail)
			tty.ends_tail++; /* the line is read to its end */
	}
	sched_unlock(saved);
}

/* Copy n input bytes at from into buf (they hold still: see the top of the file). */
static void tty_peek(char *buf, uint32_t from, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		buf[i] = tty.buf[(from + i) & IN_MASK];
}

/*
 * file_ops.read: at most one line in canonical mode, what has arrived
 * otherwise; 0 at end of file (Ctrl-D at a line's start). Bytes are taken
 * only once they reached the user, so a bad buffer loses none.
 */
static int tty_read(struct file *f, vaddr_t buf, size_t len)
{
	if (len == 0)
		return 0;
	int err = tty_reader_claim();
	if (err)
		return err;
	char bounce[TTY_BOUNCE];
	int n;
	for (;;) {
		uint32_t at, gen;
		n = tty_wait_input(len < TTY_BOUNCE ? len : TTY_BOUNCE, f->flags & O_NONBLOCK, &at,
				   &gen);
		if (n <= 0)
			break;
		tty_peek(bounce, at, (uint32_t)n);
		if (!tty_gen_same(gen))
			continue; /* flushed while we copied: those bytes are gone */
		err = vm_copyout(current->vs, buf, bounce, (size_t)n);
		if (err) {
			n = err; /* the input stays for a read into a good buffer */
			break;
		}
		/* A flush after the copy-out came after the bytes reached the user: nothing to take. */
		tty_consume(gen, (uint32_t)n);
		break;
	}
	tty_reader_release();
	return n;
}

/* file_ops.write: through the transmit ring; short or -EINTR only when the writer is being killed. */
/*
 * A background caller's SIGTTOU (POSIX XBD 11.1.4, tcsetpgrp() and writes
 * under TOSTOP): 0 for a caller in the foreground group or one ignoring or
 * blocking SIGTTOU; else -EIO for an orphaned group (nobody would continue
 * it), or SIGTTOU sent to its group and -ERESTARTSYS, the call restarted
 * once it runs again. Lock held; two scans of the task slots at most
 * (the orphan check, then the group), a constant bound.
 */
static int tty_ttou_locked(void)
{
	if (current->pgid == tty.fg_pgrp || signal_ignored_or_blocked_locked(current, SIGTTOU))
		return 0;
	if (session_group_orphaned_locked(current->sid, current->pgid))
		return -EIO;
	task_kill_group_locked(current->pgid, SIGTTOU);
	return -ERESTARTSYS;
}

static int tty_write(struct file *f, vaddr_t buf, size_t len)
{
	(void)f;
	if ((tty.mode & CALF_TTY_TOSTOP) && tty_is_ctty()) {
		uint32_t saved = sched_lock();
		int err = tty_ttou_locked();
		sched_unlock(saved);
		if (err)
			return err;
	}
	char chunk[IO_CHUNK];
	for (size_t done = 0; done < len;) {
		size_t n = len - done < IO_CHUNK ? len - done : IO_CHUNK;
		int err = vm_copyin(current->vs, chunk, buf + done, n);
		if (err)
			return done ? (int)done : err;
		int queued = console_write(chunk, n, true);
		if (queued < 0)
			return done ? (int)done : queued;
		done += (size_t)queued;
		if ((size_t)queued < n)
			return (int)done;
	}
	return (int)len;
}

/*
 * TTY_SETPGRP: tcsetpgrp. POSIX tcsetpgrp(): EINVAL for a bad value,
 * ENOTTY when the console is not the caller's controlling terminal,
 * EPERM for a group with no member in the caller's session. A caller in
 * a background group that neither ignores nor blocks SIGTTOU sends it to
 * its group and changes nothing: the call is restarted once it runs
 * again (XBD 11.1.4; an orphaned group gets EIO, as a read would).
 */
static int tty_fg_set(int pgid)
{
	if (pgid <= 0)
		return -EINVAL;
	if (!tty_is_ctty())
		return -ENOTTY;
	uint32_t saved = sched_lock();
	int err = session_has_group_locked(current->sid, pgid) ? 0 : -EPERM;
	if (!err)
		err = tty_ttou_locked();
	if (!err)
		tty.fg_pgrp = pgid;
	sched_unlock(saved);
	return err;
}

/* TTY_GETPGRP and TTY_GETSID: copy out the foreground group or the session; ENOTTY off the ctty. */
static int tty_id_get(uintptr_t arg, bool sid)
{
	if (!tty_is_ctty())
		return -ENOTTY; /* POSIX tcgetpgrp(), tcgetsid(): not the caller's controlling terminal */
	int32_t id = sid ? SESSION_CONSOLE : tty.fg_pgrp;
	return vm_copyout(current->vs, arg, &id, sizeof(id));
}

/* TTY_SETMODE: any CALF_TTY_* bits; others are -EINVAL. */
static int tty_mode_set(uint32_t mode)
{
	if (mode & ~TTY_MODES)
		return -EINVAL;
	uint32_t saved = sched_lock();
	tty_mode_set_locked(mode);
	sched_unlock(saved);
	return 0;
}

/* file_ops.ioctl: the CALF_IOCTL_TTY_* commands. */
static int tty_ioctl(struct file *f, unsigned cmd, uintptr_t arg)
{
	(void)f;
	switch (cmd) {
	case CALF_IOCTL_TTY_GETPGRP:
	case CALF_IOCTL_TTY_GETSID:
		return tty_id_get(arg, cmd == CALF_IOCTL_TTY_GETSID);
	case CALF_IOCTL_TTY_SETPGRP:
		return tty_fg_set((int)arg);
	case CALF_IOCTL_TTY_GETMODE: {
		uint32_t mode = tty.mode;
		return vm_copyout(current->vs, arg, &mode, sizeof(mode));
	}
	case CALF_IOCTL_TTY_SETMODE:
		return tty_mode_set((uint32_t)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_ops tty_ops = { .read = tty_read, .write = tty_write, .ioctl = tty_ioctl };

int tty_open(struct file *f)
{
	f->ops = &tty_ops;
	return 0;
}
