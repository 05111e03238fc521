import CCurl

/// Configures a curl easy handle for a `Transfer` (URL, method, body, headers, TLS, HTTP/2,
/// timeouts and the C callbacks, which receive the transfer as an `Unmanaged` context pointer).
enum EasyHandle {
    /// curl's receive buffer for streams (watches), instead of its default 16 KiB. curl allocates
    /// one per transfer for the transfer's whole life, so a long-lived watch that once received a
    /// burst keeps 16 KiB resident; 4 KiB holds a typical event, and a larger record simply
    /// arrives in more write callbacks (`LineFramer` joins them). Buffered requests keep the default.
    static let streamBufferSize = 4096

    /// Configures `reused` (a handle `curl_easy_reset` put back to its defaults) or a new handle,
    /// its sockets recorded in `sockets` (the loop's); on failure cleans it up and returns the curl error.
    static func make(for transfer: Transfer, reusing reused: UnsafeMutableRawPointer? = nil, sockets: LoopSockets)
        -> Result<UnsafeMutableRawPointer, TransportFailure> {
        guard let h = reused ?? curl_easy_init() else { return .failure(.curl(code: -1, message: "curl_easy_init failed")) }
        let r = transfer.request
        var failed: CURLcode = CURLE_OK
        func check(_ c: CURLcode) { if c != CURLE_OK && failed == CURLE_OK { failed = c } }

        check(ccurl_easy_setopt_str(h, CURLOPT_URL, r.url))
        check(ccurl_easy_setopt_long(h, CURLOPT_NOSIGNAL, 1))
        check(ccurl_easy_setopt_ptr(h, CURLOPT_ERRORBUFFER, transfer.errorBuffer))
        check(ccurl_easy_setopt_long(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS))
        if waitsForMultiplexing(r.url) { check(ccurl_easy_setopt_long(h, CURLOPT_PIPEWAIT, 1)) }
        check(ccurl_easy_setopt_long(h, CURLOPT_TCP_KEEPALIVE, 1))
        check(ccurl_easy_set_socket_callbacks(h, LoopSockets.openedCallback, LoopSockets.closingCallback, sockets.context))
        check(ccurl_easy_setopt_str(h, CURLOPT_ACCEPT_ENCODING, ""))
        if transfer.onData != nil { check(ccurl_easy_setopt_long(h, CURLOPT_BUFFERSIZE, streamBufferSize)) }
        check(ccurl_easy_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, r.connectTimeout.milliseconds))
        if let t = r.timeout { check(ccurl_easy_setopt_long(h, CURLOPT_TIMEOUT_MS, t.milliseconds)) }

        switch r.method {
        case "GET": break
        case "HEAD": check(ccurl_easy_setopt_long(h, CURLOPT_NOBODY, 1))
        default: check(ccurl_easy_setopt_str(h, CURLOPT_CUSTOMREQUEST, r.method))
        }
        if let body = r.body {
            check(ccurl_easy_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            if body.isEmpty {
                check(ccurl_easy_setopt_str(h, CURLOPT_COPYPOSTFIELDS, ""))
            } else {
                body.withUnsafeBufferPointer { b in
                    // COPYPOSTFIELDS copies, so the array need not outlive this call.
                    check(ccurl_easy_setopt_ptr(h, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: b.baseAddress)))
                }
            }
        }

        var list: UnsafeMutablePointer<curl_slist>?
        for line in r.headers { list = curl_slist_append(list, line) }
        list = curl_slist_append(list, "Expect:")
        transfer.headerList = list
        check(ccurl_easy_setopt_slist(h, CURLOPT_HTTPHEADER, list))

        configureTLS(h, r.tls, check)

        let context = Unmanaged.passUnretained(transfer).toOpaque()
        check(ccurl_easy_setopt_datafn(h, CURLOPT_WRITEFUNCTION, { ptr, size, count, ctx in
            guard let ctx else { return 0 }
            let t = Unmanaged<Transfer>.fromOpaque(ctx).takeUnretainedValue()
            let n = size * count
            t.receive(UnsafeRawBufferPointer(start: ptr, count: n))
            return n
        }))
        check(ccurl_easy_setopt_ptr(h, CURLOPT_WRITEDATA, context))
        check(ccurl_easy_setopt_datafn(h, CURLOPT_HEADERFUNCTION, { ptr, size, count, ctx in
            guard let ctx else { return 0 }
            let t = Unmanaged<Transfer>.fromOpaque(ctx).takeUnretainedValue()
            let n = size * count
            t.header(UnsafeRawBufferPointer(start: ptr, count: n))
            return n
        }))
        check(ccurl_easy_setopt_ptr(h, CURLOPT_HEADERDATA, context))
        check(ccurl_easy_setopt_ptr(h, CURLOPT_PRIVATE, context))

        if failed != CURLE_OK {
            curl_easy_cleanup(h)
            if let list { curl_slist_free_all(list) }
            transfer.headerList = nil
            return .failure(.curl(code: Int(failed.rawValue), message: String(cString: curl_easy_strerror(failed))))
        }
        return .success(h)
    }

    /// Whether a transfer to `url` sets `CURLOPT_PIPEWAIT`: it waits for a connection to the same
    /// server that is still being set up, and multiplexes on it if that one turns out to speak h2,
    /// instead of opening a connection of its own — so a burst of requests and watches (an
    /// operator starting up) shares one connection from the start, as client-go's do.
    ///
    /// Only for `https`: there ALPN settles whether the server multiplexes during the handshake,
    /// and libcurl then releases the waiting transfers (one per handshake or started transfer,
    /// in a chain) — to the h2 connection, or to connections of their own over HTTP/1.1. Over
    /// plain `http` libcurl learns "HTTP/1.1" only from a response and does not release waiting
    /// transfers then (only when a transfer completes): behind a never-ending watch they would
    /// wait forever (`WatchStreamTests.manyWatchesAndRequestsShareTheLoopOverHTTP1`).
    static func waitsForMultiplexing(_ url: String) -> Bool {
        url.prefix(8).lowercased() == "https://"
    }

    private static func configureTLS(_ h: UnsafeMutableRawPointer, _ tls: TLSSettings, _ check: (CURLcode) -> Void) {
        func blob(_ option: CURLoption, _ bytes: [UInt8]) {
            bytes.withUnsafeBytes { raw in
                // CURL_BLOB_COPY: curl copies the bytes during the call and never writes to them, so
                // the array is lent as it is (a mutable copy per request cost a copy of the PEM).
                var b = curl_blob(data: UnsafeMutableRawPointer(mutating: raw.baseAddress), len: raw.count,
                                  flags: UInt32(CURL_BLOB_COPY))
                check(ccurl_easy_setopt_blob(h, option, &b))
            }
        }
        if let ca = tls.caData {
            blob(CURLOPT_CAINFO_BLOB, ca)
        } else if let file = tls.caFile {
            check(ccurl_easy_setopt_str(h, CURLOPT_CAINFO, file))
        }
        if let cert = tls.clientCertificateData {
            blob(CURLOPT_SSLCERT_BLOB, cert)
            check(ccurl_easy_setopt_str(h, CURLOPT_SSLCERTTYPE, "PEM"))
        } else if let file = tls.clientCertificateFile {
            check(ccurl_easy_setopt_str(h, CURLOPT_SSLCERT, file))
        }
        if let key = tls.clientKeyData {
            blob(CURLOPT_SSLKEY_BLOB, key)
            check(ccurl_easy_setopt_str(h, CURLOPT_SSLKEYTYPE, "PEM"))
        } else if let file = tls.clientKeyFile {
            check(ccurl_easy_setopt_str(h, CURLOPT_SSLKEY, file))
        }
        if tls.insecureSkipVerify {
            check(ccurl_easy_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 0))
            check(ccurl_easy_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 0))
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so a positive duration never becomes 0 (curl's "no limit").
    var milliseconds: Int {
        let (s, atto) = components
        return Int(s) * 1000 + Int((atto + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
