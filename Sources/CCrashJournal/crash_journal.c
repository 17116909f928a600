// Written in C because a signal handler may only call async-signal-safe functions
// (write, sigaction, raise) and must not allocate; Swift gives no such guarantee.
#include "crash_journal.h"
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

static int journal = -1;
static struct sigaction previous[NSIG];
static _Thread_local char current_path[4096];
static _Thread_local uint32_t current_length;

static void write_all(const void *bytes, size_t count) {
    const char *cursor = bytes;
    while (count > 0) {
        ssize_t written = write(journal, cursor, count);
        if (written <= 0) return;
        cursor += written;
        count -= (size_t)written;
    }
}

static void on_crash(int signal_number) {
    if (journal >= 0 && current_length > 0) {
        uint32_t length = current_length;
        unsigned char header[4] = {length & 0xff, (length >> 8) & 0xff, (length >> 16) & 0xff, (length >> 24) & 0xff};
        write_all(header, 4);
        write_all(current_path, length);
        fsync(journal);
    }
    // Hand the signal to whoever handled it before (the Swift runtime prints a backtrace).
    sigaction(signal_number, &previous[signal_number], NULL);
    raise(signal_number);
}

void crash_journal_install(int journal_fd) {
    int installed = journal >= 0;
    journal = journal_fd;
    if (installed) return;
    const int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = on_crash;
        sigemptyset(&action.sa_mask);
        sigaction(signals[i], &action, &previous[signals[i]]);
    }
}

void crash_journal_begin(const char *path, size_t length) {
    if (length >= sizeof current_path) length = sizeof current_path - 1;
    memcpy(current_path, path, length);
    current_length = (uint32_t)length;
}

void crash_journal_end(void) { current_length = 0; }
