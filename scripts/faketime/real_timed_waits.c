// Preloaded next to libfaketime (scripts/faketime/run): only the wall clock is skewed.
//
// libfaketime wraps pthread_cond_timedwait, turning a deadline on the faked wall clock into
// one on the real clock, but not C11's cnd_timedwait, which glibc implements without going
// through that symbol. librdkafka waits with cnd_timedwait on deadlines it computed from the
// faked clock, so at +5 s a 100 ms wait lasted 5.1 s and at -5 s it returned at once. This
// passes cnd_timedwait through the wrapped pthread_cond_timedwait (glibc's cnd_t and mtx_t
// are its pthread types), so the wait lasts what its caller meant.
#include <errno.h>
#include <pthread.h>
#include <threads.h>
#include <time.h>

int cnd_timedwait(cnd_t *restrict cond, mtx_t *restrict mutex, const struct timespec *restrict deadline) {
    int code = pthread_cond_timedwait((pthread_cond_t *)cond, (pthread_mutex_t *)mutex, deadline);
    return code == 0 ? thrd_success : code == ETIMEDOUT ? thrd_timedout : thrd_error;
}
