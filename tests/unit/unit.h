/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Common includes for the cmocka unit tests. */
#ifndef RA_UNIT_H
#define RA_UNIT_H

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
