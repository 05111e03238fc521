import COpenSSL

/// Why a self-signed certificate could not be made: the failing OpenSSL step and its error text.
public struct SelfSignedTLSError: Error, CustomStringConvertible {
    public let step: String
    public let openSSLError: String
    public var description: String { "self-signed certificate: \(step) failed: \(openSSLError)" }
}

extension KubeTestServer.TLS {
    /// A fresh self-signed certificate for `127.0.0.1`, `::1` and `localhost` (ECDSA P-256,
    /// SHA-256, valid from an hour ago for `days` days), which is also its own CA
    /// (`basicConstraints CA:TRUE`), made in process with OpenSSL — no `openssl` CLI needed.
    ///
    /// kubectl and helm send a kubeconfig's bearer token only over TLS, so a server that checks
    /// authentication (the default) must serve HTTPS for them: start it with
    /// `KubeTestServer.start(tls: try .selfSigned())`; `writeKubeconfig` then carries this CA.
    public static func selfSigned(days: Int = 30) throws(SelfSignedTLSError) -> KubeTestServer.TLS {
        guard let key = copenssl_ec_p256_key() else { throw failure("generating a P-256 key") }
        defer { EVP_PKEY_free(key) }
        guard let cert = X509_new() else { throw failure("allocating a certificate") }
        defer { X509_free(cert) }
        var serial: UInt64 = 0
        withUnsafeMutableBytes(of: &serial) { _ = RAND_bytes($0.baseAddress!.assumingMemoryBound(to: UInt8.self), 8) }
        let name = X509_get_subject_name(cert)
        guard X509_set_version(cert, 2) == 1,
              ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial >> 1) == 1,
              X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != nil,
              X509_gmtime_adj(X509_getm_notAfter(cert), days * 86_400) != nil,
              X509_set_pubkey(cert, key) == 1,
              X509_NAME_add_entry_by_txt(name, "O", copenssl_mbstring_asc(), "codex-k8s", -1, -1, 0) == 1,
              X509_NAME_add_entry_by_txt(name, "CN", copenssl_mbstring_asc(), "kube-test-server", -1, -1, 0) == 1,
              X509_set_issuer_name(cert, name) == 1
        else { throw failure("filling the certificate") }
        var ctx = X509V3_CTX()
        X509V3_set_ctx(&ctx, cert, cert, nil, nil, 0)
        for (nid, value) in [(NID_basic_constraints, "critical,CA:TRUE"),
                             (NID_key_usage, "critical,digitalSignature,keyCertSign"),
                             (NID_ext_key_usage, "serverAuth"),
                             (NID_subject_key_identifier, "hash"),
                             (NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost")] {
            guard let ext = X509V3_EXT_conf_nid(nil, &ctx, nid, value) else { throw failure("extension \(value)") }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(cert, ext, -1) == 1 else { throw failure("adding extension \(value)") }
        }
        guard X509_sign(cert, key, EVP_sha256()) > 0 else { throw failure("signing") }
        let certPEM = try pem("writing the certificate") { PEM_write_bio_X509($0, cert) }
        let keyPEM = try pem("writing the key") { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
        return KubeTestServer.TLS(certificateChainPEM: certPEM, privateKeyPEM: keyPEM, caPEM: certPEM)
    }

    private static func pem(_ step: String, _ write: (OpaquePointer) -> Int32) throws(SelfSignedTLSError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw failure(step) }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw failure(step) }
        var data: UnsafeMutablePointer<CChar>?
        let count = copenssl_bio_mem_data(bio, &data)
        guard count > 0, let data else { throw failure(step) }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
    }

    private static func failure(_ step: String) -> SelfSignedTLSError {
        let code = ERR_get_error()
        guard code != 0 else { return SelfSignedTLSError(step: step, openSSLError: "no OpenSSL error recorded") }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return SelfSignedTLSError(step: step, openSSLError: String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self))
    }
}
