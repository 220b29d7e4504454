// Preloaded under ThreadSanitizer only (scripts/sanitize.sh): routes C11 thrd_create,
// thrd_join and thrd_detach through pthreads. librdkafka starts its threads with
// thrd_create, which glibc implements without calling the pthread_create that TSan
// intercepts, so TSan knew nothing of those threads and crashed in its allocator the
// first time one of them called malloc.
#include <pthread.h>
#include <stdlib.h>
#include <threads.h>

struct start {
    thrd_start_t function;
    void *argument;
};

static void *trampoline(void *pointer) {
    struct start start = *(struct start *)pointer;
    free(pointer);
    return (void *)(long)start.function(start.argument);
}

int thrd_create(thrd_t *thread, thrd_start_t function, void *argument) {
    struct start *start = malloc(sizeof *start);
    if (start == NULL) return thrd_nomem;
    start->function = function;
    start->argument = argument;
    if (pthread_create((pthread_t *)thread, NULL, trampoline, start) != 0) {
        free(start);
        return thrd_error;
    }
    return thrd_success;
}

int thrd_join(thrd_t thread, int *result) {
    void *value;
    if (pthread_join((pthread_t)thread, &value) != 0) return thrd_error;
    if (result) *result = (int)(long)value;
    return thrd_success;
}

int thrd_detach(thrd_t thread) { return pthread_detach((pthread_t)thread) == 0 ? thrd_success : thrd_error; }
