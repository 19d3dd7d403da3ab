/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The exec floor: a dynamically linked C program that does nothing. */
int
main(void)
{
    return 0;
}
