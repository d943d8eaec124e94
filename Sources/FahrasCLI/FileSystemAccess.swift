import FahrasStorage

enum FileSystemAccess {
  static func read(_ path: String) throws -> [UInt8] { try FileSystem.readFile(path) }
}
