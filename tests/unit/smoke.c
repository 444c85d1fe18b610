/* smoke.c - shows the shape of a registered unit test. */
#include "unit/unit.h"

#include <string.h>

UNIT_TEST(registration)
{
	UCHECK(strlen("octavo") == 6, "registered tests run");
}
