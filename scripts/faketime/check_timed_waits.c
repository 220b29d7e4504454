// Prints how long a 100 ms cnd_timedwait lasted on the real clock, and how far the wall
// clock is from the real one, in milliseconds: "wait=<ms> skew=<ms>".
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

int main(void) {
    cnd_t cond;
    mtx_t mutex;
    cnd_init(&cond);
    mtx_init(&mutex, mtx_plain);
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);  // the faked wall clock
    long long skew = (wall.tv_sec * 1000000000LL + wall.tv_nsec - real_ns(CLOCK_REALTIME)) / 1000000;
    wall.tv_nsec += 100000000L;
    if (wall.tv_nsec >= 1000000000L) { wall.tv_sec += 1; wall.tv_nsec -= 1000000000L; }
    long long start = real_ns(CLOCK_MONOTONIC);
    mtx_lock(&mutex);
    cnd_timedwait(&cond, &mutex, &wall);
    mtx_unlock(&mutex);
    printf("wait=%lld skew=%lld\n", (real_ns(CLOCK_MONOTONIC) - start) / 1000000, skew);
    return 0;
}
