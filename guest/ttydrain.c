// SPDX-License-Identifier: GPL-2.0
/*
 * ttydrain DEV: wait until everything written to the tty DEV has been
 * transmitted (tcdrain), so that the guest can power off without losing
 * the tail of its results.
 */
#include <fcntl.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: ttydrain DEV\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_NOCTTY);
	if (fd < 0 || tcdrain(fd) < 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
