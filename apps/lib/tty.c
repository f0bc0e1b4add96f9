/*
 * tty.c - terminal, process-group and session calls: tcgetpgrp/tcsetpgrp,
 * tcgetsid, setpgid/getpgid/getpgrp/setpgrp, setsid/getsid, and the small termios of
 * <sys/termios.h>, over CALF_SYS_ioctl and the process-group calls.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/termios.h>
#include <unistd.h>

#include "sys.h"

static int tty_ioctl(int fd, uint32_t cmd, uint32_t arg)
{
	return sys_result(calf_syscall(CALF_SYS_ioctl, (uint32_t)fd, cmd, arg));
}

/* The console's mode bits into *mode: 0, or -1 with EBADF or ENOTTY (not a terminal). */
static int tty_mode_get(int fd, uint32_t *mode)
{
	return tty_ioctl(fd, CALF_IOCTL_TTY_GETMODE, (uint32_t)mode);
}

pid_t tcgetpgrp(int fd)
{
	int32_t pgid;
	if (tty_ioctl(fd, CALF_IOCTL_TTY_GETPGRP, (uint32_t)&pgid) < 0)
		return -1;
	return pgid;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	return tty_ioctl(fd, CALF_IOCTL_TTY_SETPGRP, (uint32_t)pgrp) < 0 ? -1 : 0;
}

pid_t tcgetsid(int fd)
{
	int32_t sid;
	if (tty_ioctl(fd, CALF_IOCTL_TTY_GETSID, (uint32_t)&sid) < 0)
		return -1;
	return sid;
}

/* A new session led by the caller, with no controlling terminal: its id, or -1 with EPERM. */
pid_t setsid(void)
{
	return sys_result(calf_syscall(CALF_SYS_setsid, 0, 0, 0));
}

pid_t getsid(pid_t pid)
{
	return sys_result(calf_syscall(CALF_SYS_getsid, (uint32_t)pid, 0, 0));
}

int setpgid(pid_t pid, pid_t pgid)
{
	int32_t r = calf_syscall(CALF_SYS_setpgid, (uint32_t)pid, (uint32_t)pgid, 0);
	return sys_result(r) < 0 ? -1 : 0;
}

pid_t getpgid(pid_t pid)
{
	return sys_result(calf_syscall(CALF_SYS_getpgid, (uint32_t)pid, 0, 0));
}

pid_t getpgrp(void)
{
	return getpgid(0);
}

/* The System V form: make the caller a group leader. */
int setpgrp(void)
{
	return setpgid(0, 0);
}

int tcgetattr(int fd, struct termios *t)
{
	uint32_t mode;
	if (tty_mode_get(fd, &mode) < 0)
		return -1;
	memset(t, 0, sizeof(*t));
	bool canon = mode & CALF_TTY_ICANON;
	t->c_iflag = canon ? ICRNL : 0;
	t->c_cflag = CS8 | CREAD | CLOCAL;
	t->c_lflag = (canon ? ICANON | ECHOK : 0) | (mode & CALF_TTY_ECHO ? ECHO | ECHOE : 0) |
		     (mode & CALF_TTY_ISIG ? ISIG : 0) | (mode & CALF_TTY_TOSTOP ? TOSTOP : 0);
	t->c_cc[VEOF] = 0x04;
	t->c_cc[VERASE] = 0x7f;
	t->c_cc[VINTR] = 0x03;
	t->c_cc[VKILL] = 0x15;
	t->c_cc[VQUIT] = 0x1c;
	t->c_cc[VSUSP] = 0x1a;
	t->c_cc[VMIN] = 1;
	t->c_ispeed = t->c_ospeed = B115200;
	return 0;
}

/* Sets ICANON, ECHO, ISIG and TOSTOP from c_lflag; the rest is fixed (sys/termios.h). */
int tcsetattr(int fd, int action, const struct termios *t)
{
	if (action != TCSANOW && action != TCSADRAIN && action != TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	uint32_t mode = (t->c_lflag & ICANON ? CALF_TTY_ICANON : 0) |
			(t->c_lflag & ECHO ? CALF_TTY_ECHO : 0) | (t->c_lflag & ISIG ? CALF_TTY_ISIG : 0) |
			(t->c_lflag & TOSTOP ? CALF_TTY_TOSTOP : 0);
	return tty_ioctl(fd, CALF_IOCTL_TTY_SETMODE, mode) < 0 ? -1 : 0;
}

/* As glibc's: no input or output processing, no echo, no signals, 8-bit bytes. */
void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t->c_oflag &= ~(tcflag_t)OPOST;
	t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	t->c_cflag |= CS8;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

speed_t cfgetispeed(const struct termios *t)
{
	return t->c_ispeed;
}

speed_t cfgetospeed(const struct termios *t)
{
	return t->c_ospeed;
}

int cfsetispeed(struct termios *t, speed_t speed)
{
	t->c_ispeed = speed;
	return 0;
}

int cfsetospeed(struct termios *t, speed_t speed)
{
	t->c_ospeed = speed;
	return 0;
}
