# Ctrl-C for Lua code run by the REPL. While Lua runs, Python's own SIGINT handler only sets
# a flag that nothing reads until Lua returns, so `while true do end` could never be stopped.
# Here a C handler sets a flag of our own instead, and the REPL's count hook polls it from
# inside the running chunk (see lua/torch7_compat/repl.lua).

cdef extern from *:
    """
    #include <signal.h>

    static volatile sig_atomic_t t7_sigint_flag = 0;
    static struct sigaction t7_sigint_previous;
    static int t7_sigint_installed = 0;

    static void t7_sigint_handler(int signum) {
        (void)signum;
        t7_sigint_flag = 1;
    }

    /* Installs our handler (on != 0), keeping the one in place, or puts that one back. */
    static int t7_sigint_switch(int on) {
        if (on && !t7_sigint_installed) {
            struct sigaction action;
            action.sa_handler = t7_sigint_handler;
            sigemptyset(&action.sa_mask);
            action.sa_flags = 0;
            if (sigaction(SIGINT, &action, &t7_sigint_previous) != 0) return -1;
            t7_sigint_flag = 0;
            t7_sigint_installed = 1;
        } else if (!on && t7_sigint_installed) {
            if (sigaction(SIGINT, &t7_sigint_previous, NULL) != 0) return -1;
            t7_sigint_installed = 0;
        }
        return 0;
    }
    """
    int t7_sigint_switch(int on) nogil
    int t7_sigint_flag


cdef public int t7_sigint_catch(int on) noexcept nogil:
    if t7_sigint_switch(on) != 0:
        return t7_fail("cannot change the SIGINT handler")
    return 0


cdef public int t7_sigint_pending() noexcept nogil:
    return t7_sigint_flag


cdef public void t7_sigint_clear() noexcept nogil:
    global t7_sigint_flag
    t7_sigint_flag = 0
