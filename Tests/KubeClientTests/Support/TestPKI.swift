import Foundation

/// A throw-away CA with a server certificate for 127.0.0.1 and a client certificate, made with
/// the `openssl` CLI in a temporary directory.
struct TestPKI: Sendable {
    let directory: String
    var caCert: String { directory + "/ca.crt" }
    var serverCert: String { directory + "/server.crt" }
    var serverKey: String { directory + "/server.key" }
    var clientCert: String { directory + "/client.crt" }
    var clientKey: String { directory + "/client.key" }

    static func make() throws -> TestPKI {
        let dir = NSTemporaryDirectory() + "kubeclient-pki-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let pki = TestPKI(directory: dir)
        try pki.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", dir + "/ca.key", "-out", pki.caCert, "-days", "1", "-subj", "/CN=test-ca"])
        try pki.issue(name: "server", subject: "/CN=127.0.0.1",
                      ext: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth")
        try pki.issue(name: "client", subject: "/CN=test-user/O=testers", ext: "extendedKeyUsage=clientAuth")
        return pki
    }

    private func issue(name: String, subject: String, ext: String) throws {
        let extFile = directory + "/\(name).ext"
        try ext.write(toFile: extFile, atomically: true, encoding: .utf8)
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", directory + "/\(name).key", "-out", directory + "/\(name).csr", "-subj", subject])
        try openssl(["x509", "-req", "-in", directory + "/\(name).csr", "-CA", caCert, "-CAkey", directory + "/ca.key",
                     "-CAcreateserial", "-out", directory + "/\(name).crt", "-days", "1", "-extfile", extFile])
    }

    private func openssl(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Issues another certificate signed by the CA (`<directory>/<name>.crt` and `.key`).
    func issueExtra(name: String, subject: String, ext: String) throws {
        try issue(name: name, subject: subject, ext: ext)
    }

    func bytes(_ path: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path) ?? Data()) }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
