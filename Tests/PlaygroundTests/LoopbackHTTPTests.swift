import TestSupport
import Testing

/// `TestSupport.LoopbackHTTP`, the shared pieces of the raw HTTP clients (here because this target
/// depends on TestSupport alone; the clients themselves are exercised by the suites that use them).
struct LoopbackHTTPTests {
    @Test func aHeadIsFoundOnlyOnceItsBlankLineArrived() {
        let bytes = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)
        #expect(LoopbackHTTP.headEnd(in: Array(bytes.prefix(37))) == nil)
        #expect(LoopbackHTTP.headEnd(in: bytes) == 34, "where the last header line ends")
        #expect(LoopbackHTTP.headEnd(in: bytes, from: 35) == nil)
        #expect(LoopbackHTTP.headEnd(in: []) == nil)
    }

    @Test func aHeadGivesItsStatusAndLowercasedHeaders() throws {
        let head = try #require(LoopbackHTTP.parseHead(Array(
            "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 17\r\nConnection: Close\r\nX-Odd:  a: b \r\n".utf8)))
        #expect(head.status == 413)
        #expect(head.headers == ["content-length": "17", "connection": "Close", "x-odd": "a: b"])
        #expect(head.contentLength == 17)
        #expect(head.closes)
        #expect(LoopbackHTTP.parseHead(Array("HTTP/1.1 204 No Content".utf8))?.closes == false)
        #expect(LoopbackHTTP.parseHead(Array("GET / HTTP/1.1\r\nHost: x".utf8)) == nil, "a request line is no status line")
        #expect(LoopbackHTTP.parseHead(Array("HTTP/1.1 abc\r\n".utf8)) == nil)
    }

    @Test func connectingToAPortNobodyListensOnFailsWithThePort() {
        #expect(throws: LoopbackHTTP.Failure.self) { _ = try LoopbackHTTP.connect(port: 1) }
    }
}
