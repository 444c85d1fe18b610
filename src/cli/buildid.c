/*
 * buildid.c - which octavo this is, for the keys of what a build keeps
 * beside the editions (cli.h): the GNU build ID the linker writes into
 * the program (a hash of its code and data, so a new version or any
 * other build of it has another), read from the program's own notes in
 * memory.
 *
 * It replaced the size and time of /proc/self/exe, which were no dearer
 * (a stat) but named the wrong program under valgrind (valgrind's own),
 * so that every profiled build rendered the EPUB's cover again (about
 * 500 M instructions) and the profiles showed a build no user runs.
 */
#define _GNU_SOURCE
#include "cli.h"

#include <link.h>
#include <string.h>
#include <sys/stat.h>

struct note {
	const unsigned char *id;
	size_t len;
};

/* The NT_GNU_BUILD_ID note in the segment at p (size bytes, its notes
 * aligned to align), or nothing. */
static void find_note(const unsigned char *p, size_t size, size_t align, struct note *out)
{
	while (size >= sizeof(ElfW(Nhdr))) {
		ElfW(Nhdr) nh;
		memcpy(&nh, p, sizeof(nh));
		size_t name = ((size_t)nh.n_namesz + align - 1) & ~(align - 1);
		size_t desc = ((size_t)nh.n_descsz + align - 1) & ~(align - 1);
		if (name > size - sizeof(nh) || desc > size - sizeof(nh) - name)
			return;
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp(p + sizeof(nh), "GNU", 4) && nh.n_descsz > 0) {
			out->id = p + sizeof(nh) + name;
			out->len = nh.n_descsz;
			return;
		}
		p += sizeof(nh) + name + desc;
		size -= sizeof(nh) + name + desc;
	}
}

/* dl_iterate_phdr's first object is the program itself: its notes, then
 * stop. */
static int program_notes(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct note *out = arg;
	for (int i = 0; i < info->dlpi_phnum && !out->id; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_NOTE)
			find_note((const unsigned char *)(info->dlpi_addr + ph->p_vaddr),
				  (size_t)ph->p_memsz, ph->p_align == 8 ? 8 : 4, out);
	}
	return 1;
}

uint64_t cli_build_key(uint64_t h)
{
	static const char tag[] = "octavo build";
	h = hash_fnv1a_from(h, tag, sizeof(tag));
	struct note n = {NULL, 0};
	dl_iterate_phdr(program_notes, &n);
	if (n.id)
		return hash_fnv1a_from(h, n.id, n.len);
	/* Linked without a build ID: the program file's size and time. */
	struct stat st;
	long long id[3] = {0, 0, 0};
	if (stat("/proc/self/exe", &st) == 0) {
		id[0] = (long long)st.st_size;
		id[1] = (long long)st.st_mtim.tv_sec;
		id[2] = (long long)st.st_mtim.tv_nsec;
	}
	return hash_fnv1a_from(h, id, sizeof(id));
}
