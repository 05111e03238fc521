import Testing
import CCurl
import CYAML
import CPostgres
import COpenSSL

/// Proves the four C libraries resolve through pkg-config, link, and behave as the layers above expect.
@Suite("System libraries")
struct SystemLibraryTests {
    @Test("libcurl is 7.77+ (blob options) with TLS and HTTP/2 support")
    func curl() throws {
        // CURLVERSION_NOW is a macro Swift cannot import; FOURTH has every field read here.
        let info = try #require(curl_version_info(CURLVERSION_FOURTH))
        #expect(info.pointee.version_num >= 0x074D00, "CURLOPT_*_BLOB need libcurl 7.77")
        #expect(info.pointee.features & CURL_VERSION_SSL != 0)
        #expect(info.pointee.features & CURL_VERSION_HTTP2 != 0)
        // The variadic wrappers accept options of each argument kind.
        let h = try #require(curl_easy_init())
        defer { curl_easy_cleanup(h) }
        #expect(ccurl_easy_setopt_long(h, CURLOPT_VERBOSE, 0) == CURLE_OK)
        #expect(ccurl_easy_setopt_str(h, CURLOPT_URL, "http://127.0.0.1:1/") == CURLE_OK)
    }

    @Test("libyaml parses a document into events with marks")
    func yaml() {
        var parser = yaml_parser_t()
        #expect(yaml_parser_initialize(&parser) == 1)
        defer { yaml_parser_delete(&parser) }
        let text = Array("a: [1, 2]\n".utf8)
        text.withUnsafeBufferPointer { buf in
            yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
            var kinds: [yaml_event_type_t] = []
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                kinds.append(event.type)
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                if done { break }
            }
            #expect(kinds.first == YAML_STREAM_START_EVENT && kinds.last == YAML_STREAM_END_EVENT)
            #expect(kinds.filter { $0 == YAML_SCALAR_EVENT }.count == 3)
        }
    }

    @Test("libpq is linked and thread-safe")
    func postgres() {
        #expect(PQlibVersion() >= 120000)
        #expect(PQisthreadsafe() == 1)
    }

    @Test("OpenSSL HMAC-SHA256 matches RFC 4231 test case 2")
    func hmac() {
        let key = Array("Jefe".utf8)
        let data = Array("what do ya want for nothing?".utf8)
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        let r = HMAC(EVP_sha256(), key, Int32(key.count), data, data.count, &out, &len)
        #expect(r != nil && len == 32)
        let hex = out[0..<Int(len)].map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        #expect(hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(CRYPTO_memcmp(out, out, 32) == 0)
    }
}
