// Non-variadic wrappers around libcurl's variadic setters: Swift cannot call C variadics.
#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static inline CURLcode ccurl_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_blob(CURL *h, CURLoption o, struct curl_blob *v) { return curl_easy_setopt(h, o, v); }

typedef size_t (*ccurl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*ccurl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode ccurl_easy_setopt_datafn(CURL *h, CURLoption o, ccurl_data_callback f) { return curl_easy_setopt(h, o, f); }
static inline CURLcode ccurl_easy_setopt_xferinfofn(CURL *h, CURLoption o, ccurl_xferinfo_callback f) { return curl_easy_setopt(h, o, f); }

static inline CURLcode ccurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }

/// The loop's socket callbacks (`LoopSockets`): `ccurl_sockopt_callback` sees every socket curl
/// opens (before it connects), `ccurl_closesocket_callback` every socket of a connection it closes
/// (and must close it). Both run on the thread that drives the multi handle.
typedef int (*ccurl_sockopt_callback)(void *clientp, curl_socket_t fd, curlsocktype purpose);
typedef int (*ccurl_closesocket_callback)(void *clientp, curl_socket_t fd);
static inline CURLcode ccurl_easy_set_socket_callbacks(CURL *h, ccurl_sockopt_callback opened,
                                                      ccurl_closesocket_callback closing, void *context) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_SOCKOPTFUNCTION, opened);
    if (rc == CURLE_OK) rc = curl_easy_setopt(h, CURLOPT_SOCKOPTDATA, context);
    if (rc == CURLE_OK) rc = curl_easy_setopt(h, CURLOPT_CLOSESOCKETFUNCTION, closing);
    if (rc == CURLE_OK) rc = curl_easy_setopt(h, CURLOPT_CLOSESOCKETDATA, context);
    return rc;
}
/// Marks `fd` close-on-exec (curl itself does not), so a child process started by the program never
/// holds a copy that keeps a closed connection alive.
static inline void ccurl_set_cloexec(int fd) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0) (void)fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}
/// Sets or clears `TCP_CORK` on `fd` (Linux; elsewhere does nothing and returns -1): while set, the
/// kernel holds partial segments back, so what several writes produce leaves as few segments.
static inline int ccurl_set_tcp_cork(int fd, int on) {
#ifdef TCP_CORK
    return setsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
#else
    (void)fd; (void)on;
    return -1;
#endif
}
/// The identity of the open file `fd` refers to (device and inode; sockets get a fresh inode each),
/// or 0 when `fd` is not open.
static inline int ccurl_file_identity(int fd, unsigned long long *device, unsigned long long *inode) {
    struct stat st;
    if (fstat(fd, &st) != 0) return 0;
    *device = (unsigned long long)st.st_dev;
    *inode = (unsigned long long)st.st_ino;
    return 1;
}

static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

#endif
