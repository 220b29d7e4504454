// Prints how far the wall clock is from the kernel's, and how long 100 ms waits on
// wall-clock deadlines lasted on the real clock, in milliseconds:
// "skew=<ms> cnd=<ms> pthread=<ms>". Run under scripts/skew/run to check the shim.
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

static long long real_ns(clockid_t clock) {
    struct timespec now;
    syscall(SYS_clock_gettime, clock, &now);  // the kernel's clock, past any preload
    return now.tv_sec * 1000000000LL + now.tv_nsec;
}

static struct timespec in_100ms(void) {
    struct timespec wall;
    timespec_get(&wall, TIME_UTC);  // the moved wall clock, as librdkafka reads it
    wall.tv_nsec += 100000000L;
    if (wall.tv_nsec >= 1000000000L) { wall.tv_sec += 1; wall.tv_nsec -= 1000000000L; }
    return wall;
}

int main(void) {
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    long long skew = (wall.tv_sec * 1000000000LL + wall.tv_nsec - real_ns(CLOCK_REALTIME)) / 1000000;

    cnd_t cond;
    mtx_t mutex;
    cnd_init(&cond);
    mtx_init(&mutex, mtx_plain);
    struct timespec deadline = in_100ms();
    long long start = real_ns(CLOCK_MONOTONIC);
    mtx_lock(&mutex);
    cnd_timedwait(&cond, &mutex, &deadline);
    mtx_unlock(&mutex);
    long long cnd = (real_ns(CLOCK_MONOTONIC) - start) / 1000000;

    pthread_cond_t pcond = PTHREAD_COND_INITIALIZER;
    pthread_mutex_t pmutex = PTHREAD_MUTEX_INITIALIZER;
    deadline = in_100ms();
    start = real_ns(CLOCK_MONOTONIC);
    pthread_mutex_lock(&pmutex);
    pthread_cond_timedwait(&pcond, &pmutex, &deadline);
    pthread_mutex_unlock(&pmutex);
    long long pthread = (real_ns(CLOCK_MONOTONIC) - start) / 1000000;

    printf("skew=%lld cnd=%lld pthread=%lld\n", skew, cnd, pthread);
    return 0;
}
