#ifndef SOUNDMAP_CNCURSES_SHIM_H
#define SOUNDMAP_CNCURSES_SHIM_H
// Wide-character curses: needed for braille cells and UTF-8 song titles.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

// curses exposes these as macros or as globals that Swift 6 treats as unsafe
// shared mutable state; static inline functions give Swift a clean signature.
static inline WINDOW *soundmap_stdscr(void) { return stdscr; }
static inline int soundmap_lines(void) { return LINES; }
static inline int soundmap_cols(void) { return COLS; }
static inline int soundmap_color_pair(int n) { return COLOR_PAIR(n); }
static inline attr_t soundmap_attr_bold(void) { return A_BOLD; }
static inline attr_t soundmap_attr_reverse(void) { return A_REVERSE; }
static inline attr_t soundmap_attr_dim(void) { return A_DIM; }
static inline attr_t soundmap_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t soundmap_attr_normal(void) { return A_NORMAL; }
static inline void soundmap_getmaxyx(WINDOW *win, int *rows, int *cols) {
    int y, x;
    getmaxyx(win, y, x);
    *rows = y;
    *cols = x;
}
static inline int soundmap_key_resize(void) { return KEY_RESIZE; }
#endif
