/// An open-addressing hash table from byte strings (term keys) to dense ids 0, 1, 2, …
///
/// Keys live in one arena (`[UInt8]`), so adding a term costs no allocation beyond amortized growth;
/// lookups hash the bytes with FNV-1a-style mixing and compare in place.
struct TermTable {
  private(set) var arena: [UInt8] = []
  /// Per id: start offset in `arena` and length.
  private(set) var starts: [UInt32] = []
  private(set) var lengths: [UInt32] = []
  private var hashes: [UInt32] = []
  /// Slots hold `hash << 32 | (id + 1)` (0 = empty), so probing compares hashes without touching
  /// any other array.
  private var slots: [UInt64]
  private var mask: Int

  init(capacity: Int = 1 << 10) {
    var n = 16
    while n < capacity * 2 { n <<= 1 }
    slots = [UInt64](repeating: 0, count: n)
    mask = n - 1
  }

  var count: Int { starts.count }

  var memoryBytes: Int { arena.capacity + starts.capacity * 12 + slots.count * 8 }

  /// Hashes 8 bytes at a time (multiply-xorshift), then the tail.
  @inline(__always) static func hash(_ key: UnsafeRawBufferPointer) -> UInt32 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
    var i = 0
    let n = key.count
    guard let base = key.baseAddress else { return UInt32(truncatingIfNeeded: h) }
    while i + 8 <= n {
      let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
      h ^= h >> 31
      i += 8
    }
    if i < n {
      var w: UInt64 = 0
      var shift: UInt64 = 0
      while i < n {
        w |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
        shift += 8
        i += 1
      }
      h = (h ^ w) &* 0x94D0_49BB_1331_11EB
    }
    h ^= h >> 29
    h = h &* 0xBF58_476D_1CE4_E5B9
    return UInt32(truncatingIfNeeded: h ^ (h >> 32))
  }

  /// The id of `key`, adding it if new.
  mutating func intern(_ key: UnsafeRawBufferPointer) -> UInt32 {
    let h = TermTable.hash(key)
    var i = Int(h) & mask
    while true {
      let s = slots[i]
      if s == 0 { break }
      if UInt32(truncatingIfNeeded: s >> 32) == h {
        let id = Int(UInt32(truncatingIfNeeded: s) - 1)
        if Int(lengths[id]) == key.count {
          let start = Int(starts[id])
          let equal = arena.withUnsafeBytes { a in
            key.count == 0 || memcmp(a.baseAddress! + start, key.baseAddress!, key.count) == 0
          }
          if equal { return UInt32(id) }
        }
      }
      i = (i + 1) & mask
    }
    let id = UInt32(starts.count)
    starts.append(UInt32(arena.count))
    lengths.append(UInt32(key.count))
    hashes.append(h)
    arena.append(contentsOf: key)
    slots[i] = UInt64(h) << 32 | UInt64(id + 1)
    if starts.count * 2 > slots.count { grow() }
    return id
  }

  private mutating func grow() {
    let n = slots.count * 2
    slots = [UInt64](repeating: 0, count: n)
    mask = n - 1
    for id in 0..<hashes.count {
      var i = Int(hashes[id]) & mask
      while slots[i] != 0 { i = (i + 1) & mask }
      slots[i] = UInt64(hashes[id]) << 32 | UInt64(id + 1)
    }
  }

  /// Calls `body` with the key bytes of `id`.
  @inline(__always)
  func withKey<R>(_ id: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    arena.withUnsafeBytes { a in
      body(
        UnsafeRawBufferPointer(rebasing: a[Int(starts[id])..<(Int(starts[id]) + Int(lengths[id]))]))
    }
  }

  /// Ids sorted by key bytes (unsigned lexicographic order, shorter prefix first).
  func sortedIDs() -> [UInt32] {
    var ids = (0..<UInt32(count)).map { $0 }
    arena.withUnsafeBytes { a in
      let base = a.baseAddress!
      let st = starts
      let ln = lengths
      ids.sort { x, y in
        let lx = Int(ln[Int(x)])
        let ly = Int(ln[Int(y)])
        let c = memcmp(base + Int(st[Int(x)]), base + Int(st[Int(y)]), min(lx, ly))
        return c != 0 ? c < 0 : lx < ly
      }
    }
    return ids
  }
}

#if canImport(Glibc)
  import Glibc
#endif
