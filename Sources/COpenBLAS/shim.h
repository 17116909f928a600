#ifndef SOUNDMAP_COPENBLAS_SHIM_H
#define SOUNDMAP_COPENBLAS_SHIM_H
// Debian's pkg-config points at the openblas-pthread include folder, whose cblas.h
// also declares openblas_set_num_threads and openblas_get_num_threads.
#include <cblas.h>
#endif
