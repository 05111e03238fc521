import COpenSSL
import Foundation

/// A fresh self-signed certificate for `127.0.0.1` (EC P-256, SHA-256, one day), made with
/// OpenSSL's C API, so every server can offer HTTPS without a certificate from the test.
///
/// Why: kubectl and helm send a kubeconfig's token only over TLS; with this certificate
/// `writeKubeconfig` can always point them at HTTPS and they run as the kubeconfig's user.
enum SelfSignedCertificate {
    /// (certificate PEM, private key PEM), or nil if OpenSSL fails.
    static func make() -> (certificate: String, key: String)? {
        guard let ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) == 1,
              EVP_PKEY_keygen(ctx, &pkey) == 1, let key = pkey else { return nil }
        defer { EVP_PKEY_free(key) }
        guard let x509 = X509_new() else { return nil }
        defer { X509_free(x509) }
        X509_set_version(x509, 2)
        ASN1_INTEGER_set(X509_get_serialNumber(x509), Int.random(in: 1..<Int(Int32.max)))
        X509_gmtime_adj(X509_getm_notBefore(x509), -60)
        X509_gmtime_adj(X509_getm_notAfter(x509), 86_400)
        X509_set_pubkey(x509, key)
        let name = X509_get_subject_name(x509)
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "kube-test-server", -1, -1, 0)
        X509_set_issuer_name(x509, name)
        for (nid, value) in [(NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"), (NID_basic_constraints, "critical,CA:TRUE"),
                             (NID_key_usage, "critical,digitalSignature,keyCertSign")] {
            guard let ext = X509V3_EXT_conf_nid(nil, nil, nid, value) else { return nil }
            X509_add_ext(x509, ext, -1)
            X509_EXTENSION_free(ext)
        }
        guard X509_sign(x509, key, EVP_sha256()) > 0 else { return nil }
        guard let certificate = pem({ PEM_write_bio_X509($0, x509) }),
              let privateKey = pem({ PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }) else { return nil }
        return (certificate, privateKey)
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) -> String? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { return nil }
        let n = Int(BIO_ctrl_pending(bio))
        var bytes = [UInt8](repeating: 0, count: n)
        guard BIO_read(bio, &bytes, Int32(n)) == Int32(n) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
