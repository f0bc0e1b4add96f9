/*
 * sys/termios.h - a small termios for Calf's console (newlib's <termios.h>
 * includes this file and ships none for bare-metal targets).
 *
 * The console has one line discipline with three switches: ICANON (line
 * editing, read() returns lines), ECHO and ISIG (Ctrl-C, Ctrl-\, Ctrl-Z
 * signal the foreground process group). tcsetattr() sets those three from c_lflag and
 * ignores every other flag, the control characters and the speeds: they
 * are fixed (VINTR ^C, VQUIT ^\, VSUSP ^Z, VERASE DEL and ^H, VKILL ^U, VEOF ^D; CR
 * becomes NL in canonical mode; 115200 baud). tcgetattr() reports them as
 * they are. Flag values are Linux's.
 */
#ifndef CALF_SYS_TERMIOS_H
#define CALF_SYS_TERMIOS_H

#include <sys/types.h> /* pid_t */

typedef unsigned int tcflag_t;
typedef unsigned char cc_t;
typedef unsigned int speed_t;

#define NCCS 11
#define VEOF 0
#define VEOL 1
#define VERASE 2
#define VINTR 3
#define VKILL 4
#define VMIN 5
#define VQUIT 6
#define VSUSP 7
#define VTIME 8
#define VSTART 9
#define VSTOP 10

struct termios {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t c_cc[NCCS];
	speed_t c_ispeed;
	speed_t c_ospeed;
};

/* c_iflag */
#define IGNBRK 0000001
#define BRKINT 0000002
#define IGNPAR 0000004
#define PARMRK 0000010
#define INPCK 0000020
#define ISTRIP 0000040
#define INLCR 0000100
#define IGNCR 0000200
#define ICRNL 0000400
#define IXON 0002000
#define IXANY 0004000
#define IXOFF 0010000

/* c_oflag */
#define OPOST 0000001
#define ONLCR 0000004

/* c_cflag */
#define CSIZE 0000060
#define CS5 0000000
#define CS6 0000020
#define CS7 0000040
#define CS8 0000060
#define CSTOPB 0000100
#define CREAD 0000200
#define PARENB 0000400
#define PARODD 0001000
#define HUPCL 0002000
#define CLOCAL 0004000

/* c_lflag */
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHONL 0000100
#define NOFLSH 0000200
#define TOSTOP 0000400
#define IEXTEN 0100000

/* tcsetattr() actions: all take effect at once (output is never held back). */
#define TCSANOW 0
#define TCSADRAIN 1
#define TCSAFLUSH 2

#define B0 0
#define B9600 9600
#define B19200 19200
#define B38400 38400
#define B57600 57600
#define B115200 115200

#ifdef __cplusplus
extern "C" {
#endif

int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int action, const struct termios *t);
void cfmakeraw(struct termios *t);
speed_t cfgetispeed(const struct termios *t);
speed_t cfgetospeed(const struct termios *t);
int cfsetispeed(struct termios *t, speed_t speed);
int cfsetospeed(struct termios *t, speed_t speed);
/* The session the terminal on fd is the controlling terminal of; -1 with ENOTTY if not the caller's. */
pid_t tcgetsid(int fd);

#ifdef __cplusplus
}
#endif

#endif
