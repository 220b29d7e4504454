// Preloaded by scripts/skew/run: moves one process's wall clock by PAWN_SKEW_NS nanoseconds
// and nothing else. Every way a program reads the wall clock (clock_gettime on a realtime
// clock, gettimeofday, time, timespec_get) is moved; every wait whose deadline is on the
// wall clock (cnd_timedwait, pthread_cond_timedwait on a realtime condition variable,
// sem_timedwait, pthread_mutex_timedlock, an absolute clock_nanosleep) has its deadline
// moved back, so that a wait lasts what its caller meant. Monotonic clocks are untouched.
//
// libfaketime does the same and more, but its command keeps its state in /dev/shm, which a
// sandbox need not have; this needs nothing but the C library.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/time.h>
#include <threads.h>
#include <time.h>

static long long skew_ns;
static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int (*real_gettimeofday)(struct timeval *restrict, void *restrict);
static int (*real_timespec_get)(struct timespec *, int);
static int (*real_cnd_timedwait)(cnd_t *restrict, mtx_t *restrict, const struct timespec *restrict);
static int (*real_pthread_cond_timedwait)(pthread_cond_t *restrict, pthread_mutex_t *restrict,
                                          const struct timespec *restrict);
static int (*real_sem_timedwait)(sem_t *restrict, const struct timespec *restrict);
static int (*real_pthread_mutex_timedlock)(pthread_mutex_t *restrict, const struct timespec *restrict);
static int (*real_clock_nanosleep)(clockid_t, int, const struct timespec *, struct timespec *);

static void *next(const char *name) {
    void *symbol = dlsym(RTLD_NEXT, name);
    if (!symbol) abort();  // a C library without it: better no process than a wrong clock
    return symbol;
}

__attribute__((constructor)) static void load(void) {
    const char *value = getenv("PAWN_SKEW_NS");
    skew_ns = value ? strtoll(value, NULL, 10) : 0;
    real_clock_gettime = next("clock_gettime");
    real_gettimeofday = next("gettimeofday");
    real_timespec_get = next("timespec_get");
    real_cnd_timedwait = next("cnd_timedwait");
    real_pthread_cond_timedwait = next("pthread_cond_timedwait");
    real_sem_timedwait = next("sem_timedwait");
    real_pthread_mutex_timedlock = next("pthread_mutex_timedlock");
    real_clock_nanosleep = next("clock_nanosleep");
}

static struct timespec moved(struct timespec time, long long by) {
    long long ns = time.tv_nsec + by % 1000000000LL;
    time.tv_sec += by / 1000000000LL + ns / 1000000000LL;
    ns %= 1000000000LL;
    if (ns < 0) { ns += 1000000000LL; time.tv_sec -= 1; }
    time.tv_nsec = ns;
    return time;
}

static int is_wall(clockid_t clock) {
    return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_TAI;
}

int clock_gettime(clockid_t clock, struct timespec *now) {
    if (!real_clock_gettime) load();  // called by another library's constructor before ours
    int code = real_clock_gettime(clock, now);
    if (code == 0 && is_wall(clock)) *now = moved(*now, skew_ns);
    return code;
}

int gettimeofday(struct timeval *restrict now, void *restrict zone) {
    if (!real_gettimeofday) load();
    int code = real_gettimeofday(now, zone);
    struct timeval *volatile out = now;  // glibc declares it nonnull; callers may pass NULL
    if (code == 0 && out) {
        struct timespec time = moved((struct timespec){now->tv_sec, now->tv_usec * 1000L}, skew_ns);
        now->tv_sec = time.tv_sec;
        now->tv_usec = time.tv_nsec / 1000L;
    }
    return code;
}

time_t time(time_t *out) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (out) *out = now.tv_sec;
    return now.tv_sec;
}

int timespec_get(struct timespec *now, int base) {
    if (!real_timespec_get) load();
    int result = real_timespec_get(now, base);
    if (result == TIME_UTC) *now = moved(*now, skew_ns);
    return result;
}

int cnd_timedwait(cnd_t *restrict cond, mtx_t *restrict mutex, const struct timespec *restrict deadline) {
    struct timespec real = moved(*deadline, -skew_ns);
    return real_cnd_timedwait(cond, mutex, &real);
}

int pthread_cond_timedwait(pthread_cond_t *restrict cond, pthread_mutex_t *restrict mutex,
                           const struct timespec *restrict deadline) {
    // glibc keeps a condition variable's clock in bit 0 of __wrefs: set means monotonic.
    if (cond->__data.__wrefs & 1) return real_pthread_cond_timedwait(cond, mutex, deadline);
    struct timespec real = moved(*deadline, -skew_ns);
    return real_pthread_cond_timedwait(cond, mutex, &real);
}

int sem_timedwait(sem_t *restrict semaphore, const struct timespec *restrict deadline) {
    struct timespec real = moved(*deadline, -skew_ns);
    return real_sem_timedwait(semaphore, &real);
}

int pthread_mutex_timedlock(pthread_mutex_t *restrict mutex, const struct timespec *restrict deadline) {
    struct timespec real = moved(*deadline, -skew_ns);
    return real_pthread_mutex_timedlock(mutex, &real);
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *request, struct timespec *remain) {
    if (!(flags & TIMER_ABSTIME) || !is_wall(clock)) return real_clock_nanosleep(clock, flags, request, remain);
    struct timespec real = moved(*request, -skew_ns);
    return real_clock_nanosleep(clock, flags, &real, remain);
}
