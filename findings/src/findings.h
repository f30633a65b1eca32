/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the checks of findings/src (each built on its own). */
#ifndef FINDINGS_H
#define FINDINGS_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Write @s to @path: 0 or -errno. */
static inline int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

#endif
