#ifndef SOUNDMAP_CSNDFILE_SHIM_H
#define SOUNDMAP_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif
