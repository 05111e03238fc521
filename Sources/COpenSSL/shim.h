// OpenSSL, for HMAC-SHA256 (webhook signatures), SHA-256 (names), constant-time comparison and
// the self-signed certificates of the test server and the playground.
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

/// A new P-256 key pair (EVP_EC_gen is a macro over a variadic function), or NULL.
static inline EVP_PKEY *copenssl_ec_p256_key(void) { return EVP_EC_gen("P-256"); }

/// The bytes a memory BIO holds (BIO_get_mem_data is a macro); returns their count.
static inline long copenssl_bio_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

/// MBSTRING_ASC as a plain value.
static inline int copenssl_mbstring_asc(void) { return MBSTRING_ASC; }
#endif
