import COpenSSL

/// The `SSL_CTX` for one set of TLS settings: ALPN `h2`, TLS 1.2 or newer, non-blocking modes
/// (partial writes, a retried write from a moved buffer), read-ahead (a readiness drains whole
/// records with few `recv` calls), peer verification against the CA data, CA file or the system
/// store unless `insecureSkipVerify`, and the client certificate and key.
///
/// Contract: built once per distinct `TLSContext.Key` on the loop thread and kept for the life of
/// the process (a handful per process); a CA or certificate file is read when the context is
/// built, so a file replaced later takes effect only in a new process (libcurl re-read it per
/// connection).
final class TLSContext {
    /// What distinguishes one context from another (the server name is per connection).
    struct Key: Hashable {
        var caData: [UInt8]?
        var caFile: String?
        var certData: [UInt8]?
        var certFile: String?
        var keyData: [UInt8]?
        var keyFile: String?
        var insecure: Bool

        init(_ tls: TLSSettings) {
            caData = tls.caData
            caFile = tls.caFile
            certData = tls.clientCertificateData
            certFile = tls.clientCertificateFile
            keyData = tls.clientKeyData
            keyFile = tls.clientKeyFile
            insecure = tls.insecureSkipVerify
        }
    }

    let ctx: OpaquePointer

    private init(ctx: OpaquePointer) { self.ctx = ctx }

    deinit { SSL_CTX_free(ctx) }

    /// Builds the context, or the failure with curl's code for it (77: CA material, 58: client
    /// certificate or key) and OpenSSL's reason.
    static func make(_ key: Key) -> Result<TLSContext, TransportFailure> {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { return .failure(H2Failures.tls(35, "SSL_CTX_new failed")) }
        let context = TLSContext(ctx: ctx)
        _ = copenssl_ctx_set_min_tls12(ctx)
        _ = copenssl_ctx_set_mode(ctx, copenssl_mode_nonblocking())
        copenssl_ctx_set_read_ahead(ctx, 1)
        _ = SSL_CTX_set_options(ctx, copenssl_op_ignore_unexpected_eof() | copenssl_op_no_renegotiation())
        copenssl_ctx_refuse_key_passwords(ctx)
        let alpn: [UInt8] = [2, UInt8(ascii: "h"), UInt8(ascii: "2")]
        guard SSL_CTX_set_alpn_protos(ctx, alpn, UInt32(alpn.count)) == 0 else {
            return .failure(H2Failures.tls(35, "cannot set ALPN: \(openSSLReason())"))
        }
        SSL_CTX_set_verify(ctx, key.insecure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, nil)
        if let data = key.caData {
            guard addCertificates(data, to: SSL_CTX_get_cert_store(ctx)) > 0 else {
                return .failure(H2Failures.tls(77, "no CA certificate in the CA data: \(openSSLReason())"))
            }
        } else if let file = key.caFile {
            guard SSL_CTX_load_verify_locations(ctx, file, nil) == 1 else {
                return .failure(H2Failures.tls(77, "error setting certificate file: \(file): \(openSSLReason())"))
            }
        } else {
            _ = SSL_CTX_set_default_verify_paths(ctx)
        }
        if let data = key.certData {
            guard useCertificateChain(data, ctx) else {
                return .failure(H2Failures.tls(58, "unable to use the client certificate data: \(openSSLReason())"))
            }
        } else if let file = key.certFile {
            guard SSL_CTX_use_certificate_chain_file(ctx, file) == 1 else {
                return .failure(H2Failures.tls(58, "unable to use client certificate file \(file): \(openSSLReason())"))
            }
        }
        if let data = key.keyData {
            let ok = data.withUnsafeBytes { raw -> Bool in
                guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return false }
                defer { BIO_free(bio) }
                guard let pkey = copenssl_read_private_key(bio) else { return false }
                defer { EVP_PKEY_free(pkey) }
                return SSL_CTX_use_PrivateKey(ctx, pkey) == 1
            }
            guard ok else { return .failure(H2Failures.tls(58, "unable to use the client key data: \(openSSLReason())")) }
        } else if let file = key.keyFile {
            guard SSL_CTX_use_PrivateKey_file(ctx, file, SSL_FILETYPE_PEM) == 1 else {
                return .failure(H2Failures.tls(58, "unable to set private key file \(file): \(openSSLReason())"))
            }
        }
        if key.keyData != nil || key.keyFile != nil, SSL_CTX_check_private_key(ctx) != 1 {
            return .failure(H2Failures.tls(58, "the client key does not match the client certificate: \(openSSLReason())"))
        }
        return .success(context)
    }

    /// Adds every PEM certificate of `pem` to `store`; returns how many.
    private static func addCertificates(_ pem: [UInt8], to store: OpaquePointer?) -> Int {
        pem.withUnsafeBytes { raw in
            guard let store, let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return 0 }
            defer { BIO_free(bio) }
            var count = 0
            while let cert = PEM_read_bio_X509(bio, nil, nil, nil) {
                if X509_STORE_add_cert(store, cert) == 1 { count += 1 }
                X509_free(cert)
            }
            ERR_clear_error()  // the loop ends with a "no start line" error
            return count
        }
    }

    /// The first certificate of `pem` as the client certificate, the rest as its chain.
    private static func useCertificateChain(_ pem: [UInt8], _ ctx: OpaquePointer) -> Bool {
        pem.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return false }
            defer { BIO_free(bio) }
            guard let leaf = PEM_read_bio_X509(bio, nil, nil, nil) else { return false }
            defer { X509_free(leaf) }
            guard SSL_CTX_use_certificate(ctx, leaf) == 1 else { return false }
            while let extra = PEM_read_bio_X509(bio, nil, nil, nil) {
                // The context owns `extra` once added.
                if copenssl_ctx_add_extra_chain_cert(ctx, extra) != 1 { X509_free(extra) }
            }
            ERR_clear_error()
            return true
        }
    }
}

/// OpenSSL's reason for the most recent error of this thread (and clears the queue), or
/// "unknown error".
func openSSLReason() -> String {
    let code = ERR_get_error()
    ERR_clear_error()
    guard code != 0 else { return "unknown error" }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
