/*
 * tty.c - the console as a file: writes queue into the console's transmit
 * ring, reads take received bytes, a line at most per read.
 */
#include "tty.h"

#include <errno.h>

#include "console.h"
#include "task.h"

/* Bytes moved per copy between user memory and the console: a bounded stack buffer. */
#define TTY_CHUNK 256u

/* Queue len bytes from user buf; short or -EINTR only when the writer is being killed. */
static int tty_write(struct file *f, vaddr_t buf, size_t len)
{
	(void)f;
	char chunk[TTY_CHUNK];
	for (size_t done = 0; done < len;) {
		size_t n = len - done < TTY_CHUNK ? len - done : TTY_CHUNK;
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

/* Up to len received bytes, at most one line; blocks for the first. */
static int tty_read(struct file *f, vaddr_t buf, size_t len)
{
	(void)f;
	char chunk[TTY_CHUNK];
	/* One reader at a time: the copy-out may sleep between the peek and the consume. */
	int err = console_read_begin();
	if (err)
		return err;
	int n = console_peek(chunk, len < TTY_CHUNK ? len : TTY_CHUNK);
	if (n > 0) {
		err = vm_copyout(current->vs, buf, chunk, (size_t)n);
		if (err)
			n = err; /* the input stays queued for a read into a good buffer */
		else
			console_consume((size_t)n);
	}
	console_read_end();
	return n;
}

/* CALF_IOCTL_TTY_GETMODE: reads stop after a newline; no echo or editing yet. */
static int tty_ioctl(struct file *f, unsigned cmd, uintptr_t arg)
{
	(void)f;
	if (cmd != CALF_IOCTL_TTY_GETMODE)
		return -EINVAL;
	uint32_t mode = CALF_TTY_ICANON;
	return vm_copyout(current->vs, arg, &mode, sizeof(mode));
}

static const struct file_ops tty_ops = { .read = tty_read, .write = tty_write, .ioctl = tty_ioctl };

int tty_open(struct file *f)
{
	f->ops = &tty_ops;
	return 0;
}
