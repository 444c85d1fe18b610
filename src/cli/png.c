/*
 * png.c - a PNG writer with its own deflate, for the proof sheets.
 *
 * The deflate is RFC 1951's fixed-Huffman block fed by a greedy LZ77 with
 * hash chains (zlib's scheme at a low level): short to write, and enough
 * for page images, which are mostly white rows that the PNG "Up" and
 * "Sub" filters turn into runs of zeros. CRC-32 (PNG) and Adler-32 (the
 * zlib wrapper) are the textbook loops.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ===== checksums ======================================================= */

static uint32_t crc_table[256];

static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	if (!crc_table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			crc_table[i] = c;
		}
	}
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

static uint32_t adler32(const unsigned char *p, size_t n)
{
	uint32_t a = 1, b = 0;
	while (n) {
		size_t k = n < 5552 ? n : 5552; /* no overflow before the modulo */
		n -= k;
		while (k--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}

/* ===== deflate ========================================================= */

struct bits {
	struct strbuf *out;
	uint32_t acc;
	int n;
};

/* Appends the low n bits of v, least significant first (RFC 1951 3.1.1). */
static void put_bits(struct bits *b, uint32_t v, int n)
{
	b->acc |= v << b->n;
	b->n += n;
	while (b->n >= 8) {
		sb_addc(b->out, (char)(b->acc & 0xFF));
		b->acc >>= 8;
		b->n -= 8;
	}
}

/* Huffman codes go most significant bit first. */
static void put_code(struct bits *b, uint32_t code, int len)
{
	uint32_t r = 0;
	for (int i = 0; i < len; i++)
		r |= ((code >> i) & 1) << (len - 1 - i);
	put_bits(b, r, len);
}

/* The fixed literal/length code (RFC 1951 3.2.6). */
static void put_sym(struct bits *b, int sym)
{
	if (sym < 144)
		put_code(b, 0x30 + (uint32_t)sym, 8);
	else if (sym < 256)
		put_code(b, 0x190 + (uint32_t)(sym - 144), 9);
	else if (sym < 280)
		put_code(b, (uint32_t)(sym - 256), 7);
	else
		put_code(b, 0xC0 + (uint32_t)(sym - 280), 8);
}

static const int len_base[29] = {3,  4,	 5,  6,	 7,  8,	 9,  10, 11,  13,  15,	17,  19,  23, 27,
				 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const int len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const int dist_base[30] = {1,	2,    3,    4,	  5,	7,    9,    13,	   17,	  25,
				  33,	49,   65,   97,	  129,	193,  257,  385,   513,	  769,
				  1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const int dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,	3,  4,	4,  5,	5,  6,
				   6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void put_match(struct bits *b, int len, int dist)
{
	int i = 28;
	while (len_base[i] > len)
		i--;
	put_sym(b, 257 + i);
	put_bits(b, (uint32_t)(len - len_base[i]), len_extra[i]);
	int k = 29;
	while (dist_base[k] > dist)
		k--;
	put_code(b, (uint32_t)k, 5);
	put_bits(b, (uint32_t)(dist - dist_base[k]), dist_extra[k]);
}

#define WSIZE	  32768
#define HBITS	  15
#define MAX_CHAIN 24
#define MIN_MATCH 3
#define MAX_MATCH 258

static uint32_t hash3(const unsigned char *p)
{
	return ((uint32_t)p[0] << 16 ^ (uint32_t)p[1] << 8 ^ p[2]) * 2654435761u >> (32 - HBITS);
}

/* A zlib stream (RFC 1950) of data, one fixed-Huffman block. */
static void zlib_compress(const unsigned char *data, size_t n, struct strbuf *out)
{
	sb_addc(out, 0x78);
	sb_addc(out, 0x01);
	struct bits b = {out, 0, 0};
	put_bits(&b, 1, 1); /* BFINAL */
	put_bits(&b, 1, 2); /* BTYPE 01: fixed codes */
	/* head: the latest position + 1 of each hash; prev: the chain. */
	uint32_t *head = xcalloc((size_t)1 << HBITS, sizeof(uint32_t));
	uint32_t *prev = xcalloc(WSIZE, sizeof(uint32_t));
	size_t i = 0;
	while (i < n) {
		int best = 0, bdist = 0;
		if (i + MIN_MATCH <= n) {
			uint32_t h = hash3(data + i);
			uint32_t cand = head[h];
			size_t maxlen = n - i < MAX_MATCH ? n - i : MAX_MATCH;
			for (int chain = 0; cand && chain < MAX_CHAIN; chain++) {
				size_t c = cand - 1;
				if (i - c > WSIZE - 1)
					break;
				if (data[c + (size_t)best] == data[i + (size_t)best]) {
					size_t l = 0;
					while (l < maxlen && data[c + l] == data[i + l])
						l++;
					if ((int)l > best) {
						best = (int)l;
						bdist = (int)(i - c);
						if (l == maxlen)
							break;
					}
				}
				uint32_t nx = prev[c % WSIZE];
				if (nx >= cand)
					break; /* the slot was reused: the chain ends */
				cand = nx;
			}
		}
		size_t step = best >= MIN_MATCH ? (size_t)best : 1;
		if (best >= MIN_MATCH)
			put_match(&b, best, bdist);
		else
			put_sym(&b, data[i]);
		/* Insert every position passed over into the chains. */
		for (size_t k = 0; k < step; k++, i++) {
			if (i + MIN_MATCH <= n) {
				uint32_t h = hash3(data + i);
				prev[i % WSIZE] = head[h];
				head[h] = (uint32_t)i + 1;
			}
		}
	}
	put_sym(&b, 256); /* end of block */
	if (b.n)
		put_bits(&b, 0, 8 - b.n);
	free(head);
	free(prev);
	uint32_t ad = adler32(data, n);
	for (int k = 3; k >= 0; k--)
		sb_addc(out, (char)(ad >> (8 * k)));
}

/* ===== PNG ============================================================= */

static void put32(struct strbuf *sb, uint32_t v)
{
	for (int k = 3; k >= 0; k--)
		sb_addc(sb, (char)(v >> (8 * k)));
}

static void chunk(struct strbuf *out, const char *type, const char *data, size_t n)
{
	put32(out, (uint32_t)n);
	size_t start = out->len;
	sb_add(out, type, 4);
	sb_add(out, data, n);
	put32(out, crc32_update(0, (const unsigned char *)out->buf + start, n + 4));
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Filters row y into out (1 + stride bytes): the filter of the least sum
 * of absolute differences, as libpng's heuristic chooses. */
static void filter_row(const unsigned char *rgb, size_t stride, int y, unsigned char *out,
		       unsigned char *tmp)
{
	const unsigned char *cur = rgb + (size_t)y * stride;
	const unsigned char *up = y ? cur - stride : NULL;
	long best = -1;
	for (int f = 0; f <= 4; f++) {
		if (f == 3)
			continue; /* Average: rarely the best on page images */
		long sum = 0;
		for (size_t i = 0; i < stride; i++) {
			int a = i >= 3 ? cur[i - 3] : 0, b = up ? up[i] : 0;
			int c = up && i >= 3 ? up[i - 3] : 0;
			int pred = f == 0 ? 0 : f == 1 ? a : f == 2 ? b : paeth(a, b, c);
			unsigned char v = (unsigned char)(cur[i] - pred);
			tmp[i] = v;
			sum += v < 128 ? v : 256 - v;
		}
		if (best < 0 || sum < best) {
			best = sum;
			out[0] = (unsigned char)f;
			memcpy(out + 1, tmp, stride);
		}
	}
}

void cli_png_encode(const unsigned char *rgb, int w, int h, struct strbuf *out)
{
	sb_add(out, "\x89PNG\r\n\x1a\n", 8);
	char ihdr[13];
	for (int k = 0; k < 4; k++) {
		ihdr[k] = (char)((uint32_t)w >> (24 - 8 * k));
		ihdr[4 + k] = (char)((uint32_t)h >> (24 - 8 * k));
	}
	ihdr[8] = 8;  /* bits per sample */
	ihdr[9] = 2;  /* RGB */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering */
	ihdr[12] = 0; /* not interlaced */
	chunk(out, "IHDR", ihdr, sizeof(ihdr));
	size_t stride = (size_t)w * 3;
	unsigned char *raw = xmalloc((stride + 1) * (size_t)h);
	unsigned char *tmp = xmalloc(stride ? stride : 1);
	for (int y = 0; y < h; y++)
		filter_row(rgb, stride, y, raw + (size_t)y * (stride + 1), tmp);
	free(tmp);
	struct strbuf z = STRBUF_INIT;
	zlib_compress(raw, (stride + 1) * (size_t)h, &z);
	free(raw);
	chunk(out, "IDAT", z.buf, z.len);
	sb_release(&z);
	chunk(out, "IEND", "", 0);
}
