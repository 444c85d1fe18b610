/*
 * barcode.c - an ISBN as EAN-13 bars (GS1 General Specifications, 5.2):
 * a left guard, six digits in sets A and B (the first digit chosen by
 * which), a centre guard, six in set C, a right guard; 95 modules.
 * Only the modules are worked out here: cover.c sizes them and the PDF
 * stage draws them as filled rectangles, vectors at any resolution.
 */
#include "cover.h"

#include <assert.h>
#include <string.h>

/* Set A (odd parity) patterns, seven modules each, most significant bit
 * first; set C is their complement, set B set C reversed. */
static const unsigned char set_a[10] = {0x0D, 0x19, 0x13, 0x3D, 0x23,
					0x31, 0x2F, 0x3B, 0x37, 0x0B};
/* For the first digit: which of digits 2-7 take set B (bit 5 = digit 2). */
static const unsigned char parity[10] = {0x00, 0x0B, 0x0D, 0x0E, 0x13,
					 0x19, 0x1C, 0x15, 0x16, 0x1A};

bool pg_isbn_digits(const char *isbn, char digits[14])
{
	int n = 0;
	for (const char *s = isbn; s && *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n == 13)
				return false;
			digits[n++] = *s;
		} else if (*s != '-' && *s != ' ') {
			return false;
		}
	}
	if (n != 13)
		return false;
	digits[13] = 0;
	int sum = 0;
	for (int i = 0; i < 12; i++)
		sum += (digits[i] - '0') * (i % 2 ? 3 : 1);
	return (10 - sum % 10) % 10 == digits[12] - '0';
}

/* Seven modules of pattern p into m. */
static void put7(unsigned char *m, unsigned p)
{
	for (int k = 0; k < 7; k++)
		m[k] = (unsigned char)((p >> (6 - k)) & 1);
}

static unsigned reverse7(unsigned p)
{
	unsigned r = 0;
	for (int k = 0; k < 7; k++)
		r |= ((p >> k) & 1u) << (6 - k);
	return r;
}

bool pg_ean13(const char *digits, unsigned char modules[95], unsigned char guard[95])
{
	char check[14];
	if (strlen(digits) != 13 || !pg_isbn_digits(digits, check))
		return false;
	memset(guard, 0, 95);
	unsigned char *m = modules;
	static const unsigned char side[3] = {1, 0, 1}, centre[5] = {0, 1, 0, 1, 0};
	memcpy(m, side, 3);
	memset(guard, 1, 3);
	m += 3;
	unsigned par = parity[digits[0] - '0'];
	for (int i = 1; i <= 6; i++, m += 7) {
		unsigned a = set_a[digits[i] - '0'];
		bool b = (par >> (6 - i)) & 1;
		put7(m, b ? reverse7(~a & 0x7F) : a);
	}
	memcpy(m, centre, 5);
	memset(guard + 45, 1, 5);
	m += 5;
	for (int i = 7; i <= 12; i++, m += 7)
		put7(m, ~set_a[digits[i] - '0'] & 0x7F);
	memcpy(m, side, 3);
	memset(guard + 92, 1, 3);
	assert(m + 3 == modules + 95);
	return true;
}
