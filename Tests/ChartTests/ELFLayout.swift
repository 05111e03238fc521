import Foundation

/// The sections and loadable segments of a 64-bit little-endian ELF file, read from its headers
/// (enough to check where the linker put things; no symbol tables, no relocations).
struct ELFLayout {
    struct Section { var name: String; var address: UInt64; var size: UInt64; var writable: Bool }
    struct Segment { var address: UInt64; var memorySize: UInt64; var writable: Bool }

    var sections: [Section]
    /// The `PT_LOAD` program headers.
    var loads: [Segment]

    enum Failure: Error, CustomStringConvertible {
        case notELF64(String)
        case truncated(String)
        var description: String {
            switch self {
            case .notELF64(let path): "\(path) is not a 64-bit little-endian ELF file"
            case .truncated(let what): "ELF header runs past the end of the file: \(what)"
            }
        }
    }

    init(path: String) throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        func read(_ offset: UInt64, _ count: Int, _ what: String) throws -> [UInt8] {
            try handle.seek(toOffset: offset)
            let bytes = [UInt8](try handle.read(upToCount: count) ?? Data())
            guard bytes.count == count else { throw Failure.truncated(what) }
            return bytes
        }
        let header = try read(0, 64, "file header")
        guard header[0..<4] == [0x7F, 0x45, 0x4C, 0x46], header[4] == 2, header[5] == 1 else { throw Failure.notELF64(path) }
        func int(_ bytes: [UInt8], _ at: Int, _ width: Int) -> UInt64 {
            (0..<width).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        let (phoff, phentsize, phnum) = (int(header, 0x20, 8), Int(int(header, 0x36, 2)), Int(int(header, 0x38, 2)))
        let (shoff, shentsize, shnum, shstrndx) = (int(header, 0x28, 8), Int(int(header, 0x3A, 2)),
                                                   Int(int(header, 0x3C, 2)), Int(int(header, 0x3E, 2)))
        let programHeaders = try read(phoff, phentsize * phnum, "program headers")
        loads = (0..<phnum).compactMap { i in
            let at = i * phentsize
            guard int(programHeaders, at, 4) == 1 else { return nil } // PT_LOAD
            return Segment(address: int(programHeaders, at + 16, 8), memorySize: int(programHeaders, at + 40, 8),
                           writable: int(programHeaders, at + 4, 4) & 2 != 0) // PF_W
        }
        let sectionHeaders = try read(shoff, shentsize * shnum, "section headers")
        let namesAt = shstrndx * shentsize
        let names = try read(int(sectionHeaders, namesAt + 24, 8), Int(int(sectionHeaders, namesAt + 32, 8)), "section names")
        sections = (0..<shnum).map { i in
            let at = i * shentsize
            let start = Int(int(sectionHeaders, at, 4))
            let end = names[start...].firstIndex(of: 0) ?? names.endIndex
            return Section(name: String(decoding: names[start..<end], as: UTF8.self), address: int(sectionHeaders, at + 16, 8),
                           size: int(sectionHeaders, at + 32, 8), writable: int(sectionHeaders, at + 8, 8) & 1 != 0) // SHF_WRITE
        }
    }

    /// The loadable segment that holds `section`, if any.
    func load(holding section: Section) -> Segment? {
        loads.first { $0.address <= section.address && section.address + section.size <= $0.address + $0.memorySize }
    }
}
