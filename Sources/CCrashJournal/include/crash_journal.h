#ifndef SOUNDMAP_CRASH_JOURNAL_H
#define SOUNDMAP_CRASH_JOURNAL_H
#include <stddef.h>

/// Installs handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT that append the file the
/// crashing thread was working on to `journal_fd`, then let the signal kill the process as usual.
/// Records are a 4-byte little-endian length followed by the path bytes (paths may hold newlines).
void crash_journal_install(int journal_fd);

/// Marks the calling thread as working on `path` (at most 4095 bytes are kept).
void crash_journal_begin(const char *path, size_t length);

/// The calling thread is no longer working on a file.
void crash_journal_end(void);
#endif
