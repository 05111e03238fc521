@testable import GitHub
import Testing

/// The ETag cache stays within its byte budget, oldest entries dropped first.
@Suite struct ResponseCacheTests {
    @Test func oldestEntriesGoFirstWhenTheBudgetIsExceeded() {
        let cache = GitHubResponseCache(capacityBytes: 1000)
        func entry(_ size: Int) -> GitHubResponseCache.Entry { .init(etag: "W/\"e\"", body: Array(repeating: 0x61, count: size), link: nil) }
        cache.store(entry(300), for: "u1")
        cache.store(entry(300), for: "u2")
        cache.store(entry(300), for: "u3")
        #expect(cache.count == 3 && cache.bytes <= 1000)
        cache.store(entry(300), for: "u4")
        #expect(cache["u1"] == nil && cache["u4"] != nil && cache.count == 3)
        cache.store(entry(100), for: "u2")  // replacing an entry frees its old size
        #expect(cache.count == 3 && cache.bytes <= 1000 && cache["u2"]?.body.count == 100)
        cache.store(entry(5000), for: "big")  // larger than the whole budget: not kept, nothing evicted
        #expect(cache["big"] == nil && cache.count == 3)
        cache.clear()
        #expect(cache.count == 0 && cache.bytes == 0)
    }
}
