import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// One connection's TLS over a non-blocking socket: SNI, hostname or IP verification, the
/// handshake, and reads and writes that report `WANT_READ`/`WANT_WRITE` instead of blocking.
///
/// Contract (loop thread only): a write that could not complete must be retried with the same
/// bytes and length (the context allows the buffer to have moved); `close()` frees the `SSL`
/// (not the socket).
final class TLSSession {
    enum Progress: Equatable { case done, wantRead, wantWrite }
    enum IO: Equatable { case bytes(Int), wantRead, wantWrite, closed(reset: Bool), failed(String) }

    private var ssl: OpaquePointer?
    private let peerName: String

    private init(ssl: OpaquePointer, peerName: String) {
        self.ssl = ssl
        self.peerName = peerName
    }

    /// `host` is what the URL names; `serverName` (kubeconfig `tls-server-name`) replaces it for
    /// SNI and verification unless it is empty (an empty name is unset, as in client-go: OpenSSL
    /// would take it as "check no name"). An IP literal gets no SNI and is verified against the
    /// certificate's IP addresses; a DNS name only against its DNS names (never the subject CN,
    /// as Go). Any step OpenSSL refuses fails the connection (curl's 35) rather than connecting
    /// with less verification than asked for.
    static func make(context: TLSContext, fd: Int32, host: String, serverName: String?,
                     verify: Bool) -> Result<TLSSession, TransportFailure> {
        guard let ssl = SSL_new(context.ctx) else { return .failure(H2Failures.tls(35, "SSL_new failed: \(openSSLReason())")) }
        let name = serverName.flatMap { $0.isEmpty ? nil : $0 } ?? host
        let session = TLSSession(ssl: ssl, peerName: name)
        guard !name.isEmpty else { return .failure(H2Failures.tls(35, "no host name to verify the server certificate against")) }
        guard SSL_set_fd(ssl, fd) == 1 else { return .failure(H2Failures.tls(35, "SSL_set_fd failed: \(openSSLReason())")) }
        SSL_set_connect_state(ssl)
        let isIP = IPLiteral.isIP(name)
        if !isIP, copenssl_set_sni(ssl, name) != 1 {
            return .failure(H2Failures.tls(35, "cannot use '\(name)' as the TLS server name: \(openSSLReason())"))
        }
        if verify {
            guard let param = SSL_get0_param(ssl) else { return .failure(H2Failures.tls(35, "no verification parameters")) }
            let set: Int32
            if isIP {
                set = X509_VERIFY_PARAM_set1_ip_asc(param, name)
            } else {
                X509_VERIFY_PARAM_set_hostflags(param, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT))
                set = X509_VERIFY_PARAM_set1_host(param, name, 0)
            }
            guard set == 1 else {
                return .failure(H2Failures.tls(35, "cannot verify the server certificate against '\(name)': \(openSSLReason())"))
            }
        }
        return .success(session)
    }

    deinit { close() }

    func close() {
        if let ssl { SSL_free(ssl) }
        ssl = nil
    }

    /// Advances the handshake; a failure carries curl's code (60: the certificate, 35: the rest)
    /// and the reason.
    func handshake() -> Result<Progress, TransportFailure> {
        guard let ssl else { return .failure(H2Failures.tls(35, "TLS session closed")) }
        ERR_clear_error()
        errno = 0
        let r = SSL_do_handshake(ssl)
        if r == 1 { return .success(.done) }
        switch SSL_get_error(ssl, r) {
        case SSL_ERROR_WANT_READ: return .success(.wantRead)
        case SSL_ERROR_WANT_WRITE: return .success(.wantWrite)
        default:
            let verify = SSL_get_verify_result(ssl)
            if verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH {
                ERR_clear_error()
                return .failure(H2Failures.tls(60, "SSL: certificate subject name does not match target host name '\(peerName)'"))
            }
            if verify != X509_V_OK {
                ERR_clear_error()
                let reason = String(cString: X509_verify_cert_error_string(verify))
                return .failure(H2Failures.tls(60, "SSL certificate problem: \(reason)"))
            }
            let e = errno
            let reason = openSSLReason()
            let detail = reason == "unknown error" && e != 0 ? String(cString: strerror(e)) : reason
            return .failure(H2Failures.tls(35, "TLS handshake with \(peerName) failed: \(detail)"))
        }
    }

    /// The protocol ALPN selected ("h2"), or nil.
    var alpn: String? {
        guard let ssl else { return nil }
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// Whether OpenSSL holds decrypted or read-ahead bytes not yet returned by `read`.
    var hasPending: Bool {
        guard let ssl else { return false }
        return SSL_pending(ssl) > 0 || SSL_has_pending(ssl) == 1
    }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> IO {
        guard let ssl else { return .closed(reset: false) }
        ERR_clear_error()
        errno = 0
        let r = SSL_read(ssl, buffer, Int32(count))
        if r > 0 { return .bytes(Int(r)) }
        return outcome(SSL_get_error(ssl, r))
    }

    func write(_ bytes: UnsafeRawPointer, count: Int) -> IO {
        guard let ssl else { return .closed(reset: false) }
        ERR_clear_error()
        errno = 0
        let r = SSL_write(ssl, bytes, Int32(count))
        if r > 0 { return .bytes(Int(r)) }
        return outcome(SSL_get_error(ssl, r))
    }

    private func outcome(_ error: Int32) -> IO {
        switch error {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed(reset: false)
        case SSL_ERROR_SYSCALL:
            let e = errno
            if ERR_peek_error() == 0 && (e == 0 || e == ECONNRESET || e == EPIPE) { return .closed(reset: e != 0) }
            return .failed(e != 0 ? String(cString: strerror(e)) : openSSLReason())
        default:
            return .failed(openSSLReason())
        }
    }
}

/// Whether a host is an IPv4 or IPv6 address literal (brackets already removed).
enum IPLiteral {
    static func isIP(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
