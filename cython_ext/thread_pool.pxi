# The core's threads: a pool in which the calling thread does the work and the workers help
# when they are running.
#
# An OpenMP parallel region ends at a barrier that waits for every thread of the team, also
# for one the system has not scheduled yet: with any other busy process on the machine, a
# kernel split over 2 threads ran 10 to 15 times slower than on one. Here a job is cut into
# chunks that threads claim one at a time; the caller claims chunks too and waits only for
# chunks a worker has already claimed (and is therefore running). A worker that wakes late
# finds nothing left and sleeps again. After fork() the child has no workers: its callers
# simply do all the chunks themselves (libgomp hangs there instead).

cdef extern from *:
    """
    #include <pthread.h>
    #include <sched.h>
    #include <stdlib.h>
    #include <unistd.h>

    typedef void (*t7_chunk_fn)(void *ctx, int64_t chunk, int64_t chunks);

    /* The job slot. `claims` packs the job's generation (high 32 bits) with the next
     * chunk to hand out, so that a worker still holding an older job's description can
     * never claim a chunk of a newer job. */
    static struct {
        pthread_mutex_t lock;
        pthread_cond_t wake;
        int threads;          /* wanted, the caller included */
        int started;          /* workers running */
        uint32_t generation;
        t7_chunk_fn fn;
        void *ctx;
        int64_t chunks;
        uint64_t claims;
        int64_t done;
        int busy;
    } t7_pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0,
                 NULL, NULL, 0, 0, 0, 0};

    /* Set in workers and in a caller while it runs its chunks: a job started from inside
     * a chunk runs on its own thread. */
    static __thread int t7_pool_inside = 0;

    static void t7_pool_work(uint32_t generation, t7_chunk_fn fn, void *ctx, int64_t chunks) {
        for (;;) {
            uint64_t c = __atomic_load_n(&t7_pool.claims, __ATOMIC_ACQUIRE);
            if ((uint32_t)(c >> 32) != generation || (int64_t)(c & 0xffffffffu) >= chunks)
                return;
            if (!__atomic_compare_exchange_n(&t7_pool.claims, &c, c + 1, 1,
                                             __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                continue;
            fn(ctx, (int64_t)(c & 0xffffffffu), chunks);
            __atomic_add_fetch(&t7_pool.done, 1, __ATOMIC_RELEASE);
        }
    }

    /* Worker number `index` (1, 2, ...) helps while the pool wants more than index threads. */
    static void *t7_pool_worker(void *index) {
        int number = (int)(intptr_t)index;
        uint32_t seen;
        t7_pool_inside = 1;
        pthread_mutex_lock(&t7_pool.lock);
        seen = t7_pool.generation;
        for (;;) {
            while (t7_pool.generation == seen || number >= t7_pool.threads) {
                seen = t7_pool.generation;
                pthread_cond_wait(&t7_pool.wake, &t7_pool.lock);
            }
            seen = t7_pool.generation;
            t7_chunk_fn fn = t7_pool.fn;
            void *ctx = t7_pool.ctx;
            int64_t chunks = t7_pool.chunks;
            pthread_mutex_unlock(&t7_pool.lock);
            t7_pool_work(seen, fn, ctx, chunks);
            pthread_mutex_lock(&t7_pool.lock);
        }
        return NULL;
    }

    /* In a forked child only the forking thread exists: forget the parent's workers. */
    static void t7_pool_after_fork_child(void) {
        pthread_mutex_init(&t7_pool.lock, NULL);
        pthread_cond_init(&t7_pool.wake, NULL);
        t7_pool.started = 0;
        t7_pool.busy = 0;
        t7_pool_inside = 0;
    }

    static int t7_pool_default_threads(void) {
        const char *env = getenv("OMP_NUM_THREADS");   /* what users of the original set */
        long n = env ? strtol(env, NULL, 10) : 0;
        if (n <= 0) n = sysconf(_SC_NPROCESSORS_ONLN);
        return n > 0 ? (int)n : 1;
    }

    static int t7_pool_threads(void) {
        if (t7_pool.threads == 0) {
            t7_pool.threads = t7_pool_default_threads();
            pthread_atfork(NULL, NULL, t7_pool_after_fork_child);
        }
        return t7_pool.threads;
    }

    static void t7_pool_set_threads(int n) {
        t7_pool_threads();
        t7_pool.threads = n;
    }

    /* Starts workers up to threads - 1 (they are never stopped: a pool that shrank keeps
     * its extra workers asleep). Called with the lock held. */
    static void t7_pool_start_workers(void) {
        while (t7_pool.started < t7_pool.threads - 1) {
            pthread_t thread;
            pthread_attr_t attr;
            pthread_attr_init(&attr);
            pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
            int failed = pthread_create(&thread, &attr, t7_pool_worker,
                                        (void *)(intptr_t)(t7_pool.started + 1));
            pthread_attr_destroy(&attr);
            if (failed) break;        /* fewer helpers: the caller does more */
            t7_pool.started++;
        }
    }

    /* Runs fn(ctx, i, chunks) for i in [0, chunks), spread over the pool. */
    static void t7_parallel_chunks(t7_chunk_fn fn, void *ctx, int64_t chunks) {
        int64_t i;
        if (chunks <= 1 || t7_pool_inside || t7_pool_threads() <= 1
                || chunks > 0xffffffffll
                || __atomic_exchange_n(&t7_pool.busy, 1, __ATOMIC_ACQUIRE)) {
            /* one chunk, a nested job, one thread, or the pool taken by another caller */
            for (i = 0; i < chunks; i++) fn(ctx, i, chunks);
            return;
        }
        pthread_mutex_lock(&t7_pool.lock);
        t7_pool_start_workers();
        uint32_t generation = ++t7_pool.generation;
        t7_pool.fn = fn;
        t7_pool.ctx = ctx;
        t7_pool.chunks = chunks;
        __atomic_store_n(&t7_pool.done, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&t7_pool.claims, (uint64_t)generation << 32, __ATOMIC_RELEASE);
        pthread_cond_broadcast(&t7_pool.wake);
        pthread_mutex_unlock(&t7_pool.lock);

        t7_pool_inside = 1;
        t7_pool_work(generation, fn, ctx, chunks);
        t7_pool_inside = 0;
        /* only chunks a running worker claimed remain */
        while (__atomic_load_n(&t7_pool.done, __ATOMIC_ACQUIRE) < chunks)
            sched_yield();
        __atomic_store_n(&t7_pool.busy, 0, __ATOMIC_RELEASE);
    }
    """
    ctypedef void (*t7_chunk_fn)(void *ctx, int64_t chunk, int64_t chunks) noexcept nogil
    void parallel_chunks "t7_parallel_chunks"(t7_chunk_fn fn, void *ctx, int64_t chunks) nogil
    int pool_threads "t7_pool_threads"() nogil
    void pool_set_threads "t7_pool_set_threads"(int n) nogil
