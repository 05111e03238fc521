// Linux's epoll and eventfd (not part of Swift's Glibc module), for KubeClient's HTTP/2 loop.
// No library: the calls are in libc.
#ifndef CEPOLL_SHIM_H
#define CEPOLL_SHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif
