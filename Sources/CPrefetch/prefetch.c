// Everything is in include/prefetch.h, inline; SwiftPM builds a C target from at least one source file.
#include "prefetch.h"
