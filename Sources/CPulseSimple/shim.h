#ifndef SOUNDMAP_CPULSESIMPLE_SHIM_H
#define SOUNDMAP_CPULSESIMPLE_SHIM_H
#include <pulse/simple.h>
#include <pulse/error.h>
#endif
