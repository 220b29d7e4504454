// Linux system calls that Swift's Glibc module does not expose (epoll, eventfd), wrapped
// in small inline functions so that Swift never touches the packed `struct epoll_event`.
// Nothing here is a library: these are the kernel's interfaces through the C library.
#ifndef CPAWNSYSTEM_SHIM_H
#define CPAWNSYSTEM_SHIM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <pthread.h>

#include <sys/socket.h>
#include <errno.h>
#include <stdio.h>

// Declared here rather than through _GNU_SOURCE, which would change how other system
// headers (fd_set) look to this module and clash with Foundation's view of them.
int pthread_setname_np(pthread_t thread, const char *name);
int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/// accept4 with non-blocking and close-on-exec set on the new socket.
static inline int pawn_accept(int listener) {
    return accept4(listener, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

/// One readiness report: the descriptor and what it is ready for.
typedef struct {
    int32_t fd;
    uint32_t events;
} pawn_epoll_event;

static const uint32_t PAWN_EPOLLIN = EPOLLIN;
static const uint32_t PAWN_EPOLLOUT = EPOLLOUT;
static const uint32_t PAWN_EPOLLERR = EPOLLERR;
static const uint32_t PAWN_EPOLLHUP = EPOLLHUP;
static const uint32_t PAWN_EPOLLRDHUP = EPOLLRDHUP;

static inline int pawn_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static inline int pawn_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

static inline int pawn_epoll_ctl(int epfd, int op, int fd, uint32_t events) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = 0;
    event.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &event);
}

static inline int pawn_epoll_add(int epfd, int fd, uint32_t events) { return pawn_epoll_ctl(epfd, EPOLL_CTL_ADD, fd, events); }
static inline int pawn_epoll_mod(int epfd, int fd, uint32_t events) { return pawn_epoll_ctl(epfd, EPOLL_CTL_MOD, fd, events); }
static inline int pawn_epoll_del(int epfd, int fd) { return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, 0); }

/// epoll_wait into an array of unpacked events; returns the count or -1.
static inline int pawn_epoll_wait(int epfd, pawn_epoll_event *out, int max, int timeout_ms) {
    struct epoll_event events[256];
    if (max > 256) max = 256;
    int count = epoll_wait(epfd, events, max, timeout_ms);
    for (int i = 0; i < count; i++) {
        out[i].fd = events[i].data.fd;
        out[i].events = events[i].events;
    }
    return count;
}

/// The pending error of a non-blocking connect (0 when it succeeded), or errno on failure.
static inline int pawn_socket_error(int fd) {
    int error = 0;
    socklen_t length = sizeof(error);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
    return error;
}

/// Makes standard output line-buffered (it is fully buffered when it is a pipe).
static inline void pawn_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

#endif
