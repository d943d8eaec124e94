/// An immutable set of short byte strings with an allocation-free membership test on raw bytes.
///
/// Open addressing with linear probing over FNV-1a hashes; the table is at most half full.
struct ByteSet: Sendable {
  private let bytes: [UInt8]
  /// Entry `i` is `bytes[starts[i] ..< starts[i + 1]]`.
  private let starts: [Int]
  /// Entry index + 1 per slot; 0 = empty.
  private let slots: [Int32]
  private let mask: Int
  /// Length in bytes of the longest member; longer inputs are rejected without hashing.
  let maxLength: Int

  /// Builds the set; duplicate words are stored once.
  init<Words: Sequence>(_ words: Words) where Words.Element == [UInt8] {
    var unique: [[UInt8]] = []
    var seen = Set<[UInt8]>()
    for word in words where seen.insert(word).inserted { unique.append(word) }
    var capacity = 8
    while capacity < unique.count * 2 { capacity *= 2 }
    var slots = [Int32](repeating: 0, count: capacity)
    var bytes: [UInt8] = []
    var starts: [Int] = [0]
    for (index, word) in unique.enumerated() {
      bytes.append(contentsOf: word)
      starts.append(bytes.count)
      var slot =
        word.withUnsafeBufferPointer { Self.hash($0.baseAddress, $0.count) } & (capacity - 1)
      while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
      slots[slot] = Int32(index + 1)
    }
    self.bytes = bytes
    self.starts = starts
    self.slots = slots
    self.mask = capacity - 1
    self.maxLength = unique.map(\.count).max() ?? 0
  }

  /// Builds the set from the UTF-8 of `words`.
  init(strings words: [String]) {
    self.init(words.map { Array($0.utf8) })
  }

  /// Whether the `count` bytes at `start` are a member.
  ///
  /// - Complexity: O(`count`) expected.
  @inline(__always)
  func contains(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
    if count > maxLength || count == 0 { return false }
    var slot = Self.hash(start, count) & mask
    while true {
      let entry = Int(slots[slot])
      if entry == 0 { return false }
      let lower = starts[entry - 1]
      if starts[entry] - lower == count {
        var equal = true
        for offset in 0..<count where bytes[lower + offset] != start[offset] {
          equal = false
          break
        }
        if equal { return true }
      }
      slot = (slot + 1) & mask
    }
  }

  /// Whether `word` is a member.
  func contains(_ word: [UInt8]) -> Bool {
    word.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return false }
      return contains(base, count: buffer.count)
    }
  }

  @inline(__always)
  private static func hash(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int {
    var value: UInt32 = 2_166_136_261
    guard let start else { return Int(value) }
    for offset in 0..<count {
      value = (value ^ UInt32(start[offset])) &* 16_777_619
    }
    return Int(value ^ (value >> 15))
  }
}
