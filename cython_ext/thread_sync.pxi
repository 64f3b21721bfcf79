# What the threads package's Lua states share (lua/threads/): job queues, mutexes and
# condition variables in C, reached from every state through the FFI by address. A state
# waiting here blocks in C, holding neither the GIL nor any Lua state, so the workers run
# in parallel and a job never passes through Python.
#
# Each object counts references: every Lua object standing for it holds one (released by
# its finalizer), and the last release frees it. Lua finds an object by its id (address)
# only through the registry of live objects, so a wrong id is an error, not a crash.

cdef extern from *:
    """
    #include <pthread.h>
    #include <stdlib.h>

    struct T7Queue {
        pthread_mutex_t mutex;
        pthread_cond_t not_empty, not_full;
        int64_t refcount;
        int64_t capacity;      /* most jobs held at once; 0 for no limit */
        int64_t allocated;     /* slots in items */
        int64_t head, count;
        uint64_t *items;       /* two numbers a job */
    };

    struct T7Mutex {
        pthread_mutex_t mutex;
        int64_t refcount;
    };

    struct T7Condition {
        pthread_cond_t cond;
        int64_t refcount;
    };

    static T7Queue *t7_sync_queue_new(int64_t capacity) {
        T7Queue *q = (T7Queue *)calloc(1, sizeof(T7Queue));
        if (!q) return NULL;
        q->capacity = capacity;
        q->allocated = capacity > 0 ? capacity : 16;
        q->items = (uint64_t *)malloc(2 * sizeof(uint64_t) * q->allocated);
        if (!q->items) { free(q); return NULL; }
        pthread_mutex_init(&q->mutex, NULL);
        pthread_cond_init(&q->not_empty, NULL);
        pthread_cond_init(&q->not_full, NULL);
        q->refcount = 1;
        return q;
    }

    static void t7_sync_queue_free(T7Queue *q) {
        pthread_mutex_destroy(&q->mutex);
        pthread_cond_destroy(&q->not_empty);
        pthread_cond_destroy(&q->not_full);
        free(q->items);
        free(q);
    }

    /* Makes room for one more job in a queue with no limit (the mutex held). */
    static int t7_sync_queue_grow(T7Queue *q) {
        int64_t n = q->allocated * 2, i;
        uint64_t *items = (uint64_t *)malloc(2 * sizeof(uint64_t) * n);
        if (!items) return -1;
        for (i = 0; i < q->count; i++) {
            int64_t from = (q->head + i) % q->allocated;
            items[2 * i] = q->items[2 * from];
            items[2 * i + 1] = q->items[2 * from + 1];
        }
        free(q->items);
        q->items = items;
        q->allocated = n;
        q->head = 0;
        return 0;
    }

    static int t7_sync_queue_put(T7Queue *q, uint64_t a, uint64_t b) {
        int64_t slot;
        pthread_mutex_lock(&q->mutex);
        while (q->capacity > 0 && q->count >= q->capacity)
            pthread_cond_wait(&q->not_full, &q->mutex);
        if (q->count == q->allocated && t7_sync_queue_grow(q) != 0) {
            pthread_mutex_unlock(&q->mutex);
            return -1;
        }
        slot = (q->head + q->count) % q->allocated;
        q->items[2 * slot] = a;
        q->items[2 * slot + 1] = b;
        q->count++;
        pthread_cond_signal(&q->not_empty);
        pthread_mutex_unlock(&q->mutex);
        return 0;
    }

    static void t7_sync_queue_get(T7Queue *q, uint64_t *a, uint64_t *b) {
        pthread_mutex_lock(&q->mutex);
        while (q->count == 0)
            pthread_cond_wait(&q->not_empty, &q->mutex);
        *a = q->items[2 * q->head];
        *b = q->items[2 * q->head + 1];
        q->head = (q->head + 1) % q->allocated;
        q->count--;
        pthread_cond_signal(&q->not_full);
        pthread_mutex_unlock(&q->mutex);
    }

    /* The live objects, so that an id handed in from Lua is checked before it is used as
     * an address. Finding an object and dropping its last reference both hold this lock:
     * nothing is found while it is being freed. */
    static pthread_mutex_t t7_registry_lock = PTHREAD_MUTEX_INITIALIZER;
    static void **t7_registry_objects = NULL;
    static int *t7_registry_kinds = NULL;
    static int64_t t7_registry_count = 0, t7_registry_size = 0;

    static int t7_registry_add(void *object, int kind) {
        int status = 0;
        pthread_mutex_lock(&t7_registry_lock);
        if (t7_registry_count == t7_registry_size) {
            int64_t n = t7_registry_size ? 2 * t7_registry_size : 64;
            void **objects = (void **)realloc(t7_registry_objects, n * sizeof(void *));
            int *kinds = objects ? (int *)realloc(t7_registry_kinds, n * sizeof(int)) : NULL;
            if (objects) t7_registry_objects = objects;
            if (kinds) t7_registry_kinds = kinds;
            if (!objects || !kinds) status = -1; else t7_registry_size = n;
        }
        if (status == 0) {
            t7_registry_objects[t7_registry_count] = object;
            t7_registry_kinds[t7_registry_count] = kind;
            t7_registry_count++;
        }
        pthread_mutex_unlock(&t7_registry_lock);
        return status;
    }

    /* The object of that kind at that address with one more reference, or NULL. */
    static void *t7_registry_find(uint64_t address, int kind, int64_t *(*refcount)(void *)) {
        void *found = NULL;
        int64_t i;
        pthread_mutex_lock(&t7_registry_lock);
        for (i = 0; i < t7_registry_count; i++) {
            if ((uint64_t)(uintptr_t)t7_registry_objects[i] == address
                    && t7_registry_kinds[i] == kind) {
                found = t7_registry_objects[i];
                __atomic_add_fetch(refcount(found), 1, __ATOMIC_ACQ_REL);
                break;
            }
        }
        pthread_mutex_unlock(&t7_registry_lock);
        return found;
    }

    /* Drops a reference; returns 1 when it was the last (the object left the registry). */
    static int t7_registry_drop(void *object, int64_t *refcount) {
        int64_t i;
        int last = 0;
        pthread_mutex_lock(&t7_registry_lock);
        if (__atomic_add_fetch(refcount, -1, __ATOMIC_ACQ_REL) == 0) {
            last = 1;
            for (i = 0; i < t7_registry_count; i++) {
                if (t7_registry_objects[i] == object) {
                    t7_registry_count--;
                    t7_registry_objects[i] = t7_registry_objects[t7_registry_count];
                    t7_registry_kinds[i] = t7_registry_kinds[t7_registry_count];
                    break;
                }
            }
        }
        pthread_mutex_unlock(&t7_registry_lock);
        return last;
    }

    enum { T7_KIND_QUEUE = 1, T7_KIND_MUTEX = 2, T7_KIND_CONDITION = 3 };
    static int64_t *t7_queue_refcount(void *q) { return &((T7Queue *)q)->refcount; }
    static int64_t *t7_mutex_refcount(void *m) { return &((struct T7Mutex *)m)->refcount; }
    static int64_t *t7_condition_refcount(void *c) {
        return &((struct T7Condition *)c)->refcount;
    }

    static int t7_sync_queue_is_full(T7Queue *q) {
        int full;
        pthread_mutex_lock(&q->mutex);
        full = q->capacity > 0 && q->count >= q->capacity;
        pthread_mutex_unlock(&q->mutex);
        return full;
    }
    """
    ctypedef struct T7Queue:
        int64_t refcount
    ctypedef struct T7Mutex:
        int64_t refcount
    ctypedef struct T7Condition:
        int64_t refcount
    T7Queue *t7_sync_queue_new(int64_t capacity) nogil
    void t7_sync_queue_free(T7Queue *q) nogil
    int t7_sync_queue_put(T7Queue *q, uint64_t a, uint64_t b) nogil
    void t7_sync_queue_get(T7Queue *q, uint64_t *a, uint64_t *b) nogil
    int t7_sync_queue_is_full(T7Queue *q) nogil
    enum:
        T7_KIND_QUEUE
        T7_KIND_MUTEX
        T7_KIND_CONDITION
    ctypedef int64_t *(*refcount_of)(void *) noexcept nogil
    int t7_registry_add(void *object, int kind) nogil
    void *t7_registry_find(uint64_t address, int kind, refcount_of refcount) nogil
    int t7_registry_drop(void *object, int64_t *refcount) nogil
    int64_t *t7_queue_refcount(void *q) noexcept nogil
    int64_t *t7_mutex_refcount(void *m) noexcept nogil
    int64_t *t7_condition_refcount(void *c) noexcept nogil

cdef extern from "<pthread.h>" nogil:
    ctypedef struct pthread_mutex_t:
        pass
    ctypedef struct pthread_cond_t:
        pass
    int pthread_mutex_init(pthread_mutex_t *m, void *attr)
    int pthread_mutex_destroy(pthread_mutex_t *m)
    int pthread_mutex_lock(pthread_mutex_t *m)
    int pthread_mutex_unlock(pthread_mutex_t *m)
    int pthread_cond_init(pthread_cond_t *c, void *attr)
    int pthread_cond_destroy(pthread_cond_t *c)
    int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
    int pthread_cond_signal(pthread_cond_t *c)
    int pthread_cond_broadcast(pthread_cond_t *c)

cdef extern from *:
    """
    #define t7_mutex_of(m) (&((struct T7Mutex *)(m))->mutex)
    #define t7_cond_of(c) (&((struct T7Condition *)(c))->cond)

    /* A mutex that reports misuse (unlocking one it does not hold, locking one it holds)
     * as an error rather than undefined behaviour. */
    static int t7_sync_mutex_init(pthread_mutex_t *m) {
        pthread_mutexattr_t attr;
        int status;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
        status = pthread_mutex_init(m, &attr);
        pthread_mutexattr_destroy(&attr);
        return status;
    }
    """
    pthread_mutex_t *t7_mutex_of(T7Mutex *m) nogil
    pthread_cond_t *t7_cond_of(T7Condition *c) nogil
    int t7_sync_mutex_init(pthread_mutex_t *m) nogil


# -- queues of jobs (two numbers each: the addresses of the job's byte storages) ----------------

cdef public T7Queue *t7_queue_new(int64_t capacity) noexcept nogil:
    if capacity < 0:
        t7_fail("a queue's capacity cannot be negative, got %lld", <long long>capacity)
        return NULL
    cdef T7Queue *q = t7_sync_queue_new(capacity)
    if q == NULL or t7_registry_add(q, T7_KIND_QUEUE) != 0:
        if q != NULL:
            t7_sync_queue_free(q)
        t7_fail("out of memory for a queue")
        return NULL
    return q


cdef public T7Queue *t7_queue_find(uint64_t id) noexcept nogil:
    cdef T7Queue *q = <T7Queue *>t7_registry_find(id, T7_KIND_QUEUE, t7_queue_refcount)
    if q == NULL:
        t7_fail("no queue with id %llu", <unsigned long long>id)
    return q


cdef public void t7_queue_release(T7Queue *q) noexcept nogil:
    if q != NULL and t7_registry_drop(q, &q.refcount):
        t7_sync_queue_free(q)


cdef public int t7_queue_put(T7Queue *q, uint64_t a, uint64_t b) noexcept nogil:
    if t7_sync_queue_put(q, a, b) != 0:
        return t7_fail("out of memory for a queue")
    return 0


cdef public void t7_queue_get(T7Queue *q, uint64_t *a, uint64_t *b) noexcept nogil:
    t7_sync_queue_get(q, a, b)


cdef public int t7_queue_is_full(T7Queue *q) noexcept nogil:
    return t7_sync_queue_is_full(q)


# -- mutexes and condition variables ------------------------------------------------------------

cdef public T7Mutex *t7_mutex_new() noexcept nogil:
    cdef T7Mutex *m = <T7Mutex *>calloc(1, sizeof(T7Mutex))
    if m == NULL or t7_registry_add(m, T7_KIND_MUTEX) != 0:
        free(m)
        t7_fail("out of memory for a mutex")
        return NULL
    if t7_sync_mutex_init(t7_mutex_of(m)) != 0:
        t7_registry_drop(m, &m.refcount)
        free(m)
        t7_fail("cannot make a mutex")
        return NULL
    m.refcount = 1
    return m


cdef public T7Mutex *t7_mutex_find(uint64_t id) noexcept nogil:
    cdef T7Mutex *m = <T7Mutex *>t7_registry_find(id, T7_KIND_MUTEX, t7_mutex_refcount)
    if m == NULL:
        t7_fail("no mutex with id %llu", <unsigned long long>id)
    return m


cdef public void t7_mutex_release(T7Mutex *m) noexcept nogil:
    if m != NULL and t7_registry_drop(m, &m.refcount):
        pthread_mutex_destroy(t7_mutex_of(m))
        free(m)


cdef public int t7_mutex_lock(T7Mutex *m) noexcept nogil:
    if pthread_mutex_lock(t7_mutex_of(m)) != 0:
        return t7_fail("this thread holds the mutex already")
    return 0


cdef public int t7_mutex_unlock(T7Mutex *m) noexcept nogil:
    if pthread_mutex_unlock(t7_mutex_of(m)) != 0:
        return t7_fail("unlocking a mutex that this thread does not hold")
    return 0


cdef public T7Condition *t7_condition_new() noexcept nogil:
    cdef T7Condition *c = <T7Condition *>calloc(1, sizeof(T7Condition))
    if c == NULL or t7_registry_add(c, T7_KIND_CONDITION) != 0:
        free(c)
        t7_fail("out of memory for a condition")
        return NULL
    pthread_cond_init(t7_cond_of(c), NULL)
    c.refcount = 1
    return c


cdef public T7Condition *t7_condition_find(uint64_t id) noexcept nogil:
    cdef T7Condition *c = <T7Condition *>t7_registry_find(id, T7_KIND_CONDITION,
                                                          t7_condition_refcount)
    if c == NULL:
        t7_fail("no condition with id %llu", <unsigned long long>id)
    return c


cdef public void t7_condition_release(T7Condition *c) noexcept nogil:
    if c != NULL and t7_registry_drop(c, &c.refcount):
        pthread_cond_destroy(t7_cond_of(c))
        free(c)


cdef public int t7_condition_wait(T7Condition *c, T7Mutex *m) noexcept nogil:
    if pthread_cond_wait(t7_cond_of(c), t7_mutex_of(m)) != 0:
        return t7_fail("waiting on a condition needs its mutex locked by this thread")
    return 0


cdef public void t7_condition_signal(T7Condition *c) noexcept nogil:
    pthread_cond_signal(t7_cond_of(c))


cdef public void t7_condition_broadcast(T7Condition *c) noexcept nogil:
    pthread_cond_broadcast(t7_cond_of(c))
