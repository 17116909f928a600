#ifndef SOUNDMAP_PREFETCH_H
#define SOUNDMAP_PREFETCH_H

#include <stddef.h>

/// Asks the processor to start loading the 64-byte line holding `address` into its caches.
static inline void soundmap_prefetch_line(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Asks the processor to start loading `bytes` bytes from `start` into its caches, one request per
/// 64-byte line, without waiting for them. Swift has no prefetch of its own; being static inline,
/// this compiles into the caller as bare prefetch instructions.
static inline void soundmap_prefetch(const void *start, size_t bytes) {
    const char *line = (const char *)start;
#pragma clang loop unroll_count(8)
    for (size_t offset = 0; offset < bytes; offset += 64) soundmap_prefetch_line(line + offset);
}

#endif
