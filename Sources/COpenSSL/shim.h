// OpenSSL, for HMAC-SHA256 (webhook signatures), SHA-256 (names), constant-time comparison,
// the self-signed certificates of the test server and the playground, and the TLS of KubeClient's
// HTTP/2 client (docs/kubeclient.md, "HTTP/2 client").
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/ssl.h>
#include <openssl/tls1.h>

/// A new P-256 key pair (EVP_EC_gen is a macro over a variadic function), or NULL.
static inline EVP_PKEY *copenssl_ec_p256_key(void) { return EVP_EC_gen("P-256"); }

/// The bytes a memory BIO holds (BIO_get_mem_data is a macro); returns their count.
static inline long copenssl_bio_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

/// MBSTRING_ASC as a plain value.
static inline int copenssl_mbstring_asc(void) { return MBSTRING_ASC; }

/// SSL_CTX_set_mode, SSL_CTX_set_read_ahead, SSL_CTX_set_min_proto_version and
/// SSL_CTX_add_extra_chain_cert are macros over SSL_CTX_ctrl.
static inline long copenssl_ctx_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline void copenssl_ctx_set_read_ahead(SSL_CTX *ctx, int on) { SSL_CTX_set_read_ahead(ctx, on); }
static inline int copenssl_ctx_set_min_tls12(SSL_CTX *ctx) { return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION); }
static inline long copenssl_ctx_add_extra_chain_cert(SSL_CTX *ctx, X509 *x) { return SSL_CTX_add_extra_chain_cert(ctx, x); }
/// The mode bits the HTTP/2 client sets: partial writes, and a write retried from a moved buffer.
static inline long copenssl_mode_nonblocking(void) {
    return SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
}
/// SNI (SSL_set_tlsext_host_name is a macro over SSL_ctrl).
static inline int copenssl_set_sni(SSL *ssl, const char *name) { return (int)SSL_set_tlsext_host_name(ssl, name); }
/// SSL_OP_IGNORE_UNEXPECTED_EOF (a macro over SSL_OP_BIT): a TCP close without close_notify reads as an end.
static inline uint64_t copenssl_op_ignore_unexpected_eof(void) { return SSL_OP_IGNORE_UNEXPECTED_EOF; }
/// SSL_OP_NO_RENEGOTIATION: HTTP/2 over TLS 1.2 must not renegotiate (RFC 9113 §9.2.1).
static inline uint64_t copenssl_op_no_renegotiation(void) { return SSL_OP_NO_RENEGOTIATION; }
/// A PEM password callback that supplies no password: an encrypted key fails to load instead of
/// OpenSSL prompting on the terminal (which would block the calling thread).
static inline int copenssl_no_password(char *buf, int size, int rwflag, void *u) {
    (void)buf; (void)size; (void)rwflag; (void)u;
    return 0;
}
static inline void copenssl_ctx_refuse_key_passwords(SSL_CTX *ctx) { SSL_CTX_set_default_passwd_cb(ctx, copenssl_no_password); }
static inline EVP_PKEY *copenssl_read_private_key(BIO *bio) { return PEM_read_bio_PrivateKey(bio, NULL, copenssl_no_password, NULL); }
#endif
