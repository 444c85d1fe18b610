# octavo - a book typesetter. See README.md.
#
#   make          install missing Debian packages, build bin/octavo, build the edition into out/
#   make test     sanitizer build (ASan + UBSan), unit tests, end-to-end and bad-input tests
#   make format   clang-format over src/ and tests/

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := libcmark-gfm libharfbuzz yaml-0.1 libzip
CFLAGS_WARN := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wwrite-strings -Wvla -Werror=implicit-function-declaration
PKG_CFLAGS = $(shell pkg-config --cflags harfbuzz harfbuzz-subset yaml-0.1 libzip libpng lcms2 pixman-1 libqpdf librsvg-2.0 cairo fribidi libunibreak 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs harfbuzz harfbuzz-subset zlib libpng lcms2 libunibreak 2>/dev/null)
# Linked statically where the Debian -dev package ships the archive (they
# all do; -lNAME where one does not): the libraries nothing else octavo
# loads needs. Each shared library costs every start its mapping,
# relocations and page faults (about 25 us each on the VMs octavo is
# measured on): these eight static, 'octavo --version' went from 259 to
# 218 page faults and 3.2 M to 2.0 M instructions. zlib, libpng,
# FreeType, GLib and the rest stay shared: HarfBuzz and libharu (which
# ship no archive) load them anyway.
STATIC_LIBS := cmark-gfm-extensions cmark-gfm yaml pixman-1 fribidi jpeg gif hyphen
static_lib = $(or $(filter /%,$(shell $(CC) -print-file-name=lib$(1).a)),-l$(1))
LIBS    = $(foreach l,$(STATIC_LIBS),$(call static_lib,$(l))) $(PKG_LIBS) -lhpdf -lm -ldl -pthread
# librsvg and cairo: headers only; src/book/image-more.c opens librsvg with
# dlopen on a book's first SVG (linked, every start paid for 62 libraries).
# libzip: header only; src/epub/ocf.c opens it with dlopen on the first
# EPUB (linked, every start paid for it and libcrypto, a PDF-only one too).
# poppler-glib and cairo: headers only; src/cli/cover.c opens poppler-glib
# with dlopen when it renders the EPUB's cover image.
PKG_CFLAGS += $(shell pkg-config --cflags poppler-glib 2>/dev/null)
DEFS    = -DOCTAVO_DATADIR='"$(PREFIX)/share/octavo"'
# No -DNDEBUG, in the release build too: the asserts state the headers'
# invariants once per page, block or paragraph (never per glyph), cost
# nothing measurable on the edition, and a broken one should stop a build
# rather than print a wrong book.
CFLAGS  ?= -O2 -g
ALL_CFLAGS = $(CFLAGS_WARN) $(CFLAGS) $(PKG_CFLAGS) $(DEFS)

SRC := $(wildcard src/util/*.c src/book/*.c src/text/*.c src/layout/*.c src/pdf/*.c src/epub/*.c \
	src/cli/*.c)
HDR := $(wildcard src/*/*.h)
OBJ := $(SRC:src/%.c=build/release/%.o)
SAN_OBJ := $(SRC:src/%.c=build/san/%.o)
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all deps test-deps edition test unit e2e bench fuzz leakcheck format clean install uninstall
.DEFAULT_GOAL := all

all: deps bin/octavo edition

# --- Debian packages ---------------------------------------------------------
# Build needs: the libraries octavo links, their headers, and pkg-config.
deps:
	@sh tests/deps.sh build
# Test needs: epubcheck (Java), qpdf, poppler-utils (pdftotext, pdffonts),
# libxml2-utils (xmllint) and clang's sanitizer runtime via gcc.
test-deps:
	@sh tests/deps.sh test

# --- the program -------------------------------------------------------------
# V=1 shows the full commands.
Q = $(if $(V),,@)

bin/octavo: $(OBJ) build/release/main.o
	@mkdir -p bin
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

build/release/%.o: src/%.c $(HDR)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c $(HDR)
	@mkdir -p $(dir $@)
	@echo "  CC san  $<"
	$(Q)$(CC) $(CFLAGS_WARN) $(SAN_FLAGS) $(PKG_CFLAGS) $(DEFS) -c -o $@ $<

build/san/octavo: $(SAN_OBJ) build/san/main.o
	@echo "  LD san  $@"
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(LIBS)

UNIT_SRC := tests/unit.c $(wildcard tests/unit/*.c)

build/san/unit: $(UNIT_SRC) tests/unit/unit.h $(SAN_OBJ) $(HDR)
	@echo "  LD san  $@"
	$(Q)$(CC) $(CFLAGS_WARN) $(SAN_FLAGS) $(PKG_CFLAGS) -Isrc -Itests -o $@ $(UNIT_SRC) $(SAN_OBJ) $(LIBS)

# --- the edition -------------------------------------------------------------
EDITION_SRC := $(wildcard manuscript/*.md manuscript/book.yaml manuscript/images/*) \
	$(wildcard styles/* fonts/*)
edition: bin/octavo
	./bin/octavo build manuscript -o out

# --- tests -------------------------------------------------------------------
test: test-deps bin/octavo build/san/octavo build/san/unit
	@OCTAVO_DATADIR=$(CURDIR) sh tests/run.sh build/san/octavo build/san/unit

# Fuzzing and leak checks (issue-sized runs, not part of make test): tests/fuzz/README.md.
fuzz leakcheck: deps
	@sh tests/fuzz/$@.sh

# The benchmark (never part of make test): see bench/README.md.
bench: deps bin/octavo
	@sh bench/run.sh

format:
	clang-format -i src/*.c src/*/*.c src/*/*.h tests/*.c

clean:
	rm -rf build bin out

install: bin/octavo
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/octavo/styles \
		$(DESTDIR)$(PREFIX)/share/octavo/fonts $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 bin/octavo $(DESTDIR)$(PREFIX)/bin/octavo
	install -m 644 styles/* $(DESTDIR)$(PREFIX)/share/octavo/styles/
	install -m 644 fonts/* $(DESTDIR)$(PREFIX)/share/octavo/fonts/
	install -d $(DESTDIR)$(PREFIX)/share/octavo/profiles
	install -m 644 profiles/* $(DESTDIR)$(PREFIX)/share/octavo/profiles/
	install -m 644 octavo.1 $(DESTDIR)$(PREFIX)/share/man/man1/octavo.1
	install -m 644 completion/octavo.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/octavo

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/octavo
	rm -rf $(DESTDIR)$(PREFIX)/share/octavo
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/octavo.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/octavo
