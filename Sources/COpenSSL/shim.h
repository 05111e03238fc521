// OpenSSL, for HMAC-SHA256 (webhook signatures), SHA-256 (names) and constant-time comparison.
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/err.h>
#endif
