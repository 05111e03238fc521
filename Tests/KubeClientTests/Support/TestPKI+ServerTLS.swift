import NIOSSL

extension TestPKI {
    /// A test server's TLS: this PKI's server certificate (or the `cert`/`key` files given), the
    /// ALPN protocols `alpn`, and with `requireClientCert` client certificates verified against
    /// the CA (no host name: clients have none).
    func serverTLS(cert: String? = nil, key: String? = nil, requireClientCert: Bool = false,
                   alpn: [String] = []) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(cert ?? serverCert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key ?? serverKey, format: .pem)))
        if requireClientCert {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .file(caCert)
        }
        tls.applicationProtocols = alpn
        return tls
    }
}
