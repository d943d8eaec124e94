import CCRC32C

/// CRC-32C (Castagnoli) checksums, used to detect corruption in stored blocks and files.
///
/// Parameters: reflected polynomial `0x82F63B78` (normal form `0x1EDC6F41`), initial value and final xor
/// `0xFFFFFFFF`, input and output reflected — the variant used by iSCSI, ext4, LevelDB and friends.
/// `checksum("123456789") == 0xE3069283`.
///
/// The implementation is table-driven "slicing-by-8": eight 256-entry tables let one step fold 8 input
/// bytes with eight independent table look-ups.
public enum CRC32C {
  /// Reflected CRC-32C polynomial.
  static let polynomial: UInt32 = 0x82F6_3B78

  /// `tables[k * 256 + b]` is the CRC contribution of byte `b` followed by `k` zero bytes.
  /// Table 0 is the classic byte-at-a-time table. Built once, on first use.
  static let tables: [UInt32] = {
    var tables = [UInt32](repeating: 0, count: 8 * 256)
    for byte in 0..<256 {
      var crc = UInt32(byte)
      for _ in 0..<8 {
        crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1
      }
      tables[byte] = crc
    }
    for k in 1..<8 {
      for byte in 0..<256 {
        let previous = tables[(k - 1) * 256 + byte]
        tables[k * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
      }
    }
    return tables
  }()

  /// Returns the CRC-32C of `bytes`.
  ///
  /// `previous` continues an earlier checksum, so data can be checksummed in pieces:
  /// `checksum(b, previous: checksum(a)) == checksum(a + b)`. The default (0) starts a fresh checksum,
  /// and the checksum of no bytes is `previous` itself.
  ///
  /// - Complexity: O(n), about one table step per 8 bytes.
  public static func checksum(_ bytes: UnsafeRawBufferPointer, previous: UInt32 = 0) -> UInt32 {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return previous }
    if hardware { return ~fahras_crc32c_hardware(~previous, base, bytes.count) }
    return software(bytes, previous: previous)
  }

  /// The table-driven (slicing-by-8) implementation, used when the CPU lacks a CRC32C
  /// instruction; `checksum` must agree with it bit for bit.
  public static func software(_ bytes: UnsafeRawBufferPointer, previous: UInt32 = 0) -> UInt32 {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return previous }
    return tables.withUnsafeBufferPointer { table in
      update(~previous, base, bytes.count, table.baseAddress!)
    }
  }

  /// Whether the CPU's CRC32 instruction (SSE 4.2) is used: about 10× the table-driven speed.
  public static let hardware: Bool = fahras_crc32c_hardware_available() == 1

  /// Folds `count` bytes at `base` into the raw (pre-inverted) register `crc`; returns the finished CRC.
  @inline(__always)
  private static func update(
    _ initial: UInt32, _ base: UnsafeRawPointer, _ count: Int, _ t: UnsafePointer<UInt32>
  ) -> UInt32 {
    var crc = initial
    var p = base
    var remaining = count
    while remaining >= 8 {
      let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) ^ UInt64(crc)
      let lo = UInt32(truncatingIfNeeded: word)
      let hi = UInt32(truncatingIfNeeded: word &>> 32)
      crc =
        t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo &>> 8) & 0xFF)]
        ^ t[5 * 256 + Int((lo &>> 16) & 0xFF)] ^ t[4 * 256 + Int(lo &>> 24)]
        ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi &>> 8) & 0xFF)]
        ^ t[1 * 256 + Int((hi &>> 16) & 0xFF)] ^ t[Int(hi &>> 24)]
      p += 8
      remaining &-= 8
    }
    while remaining > 0 {
      crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc &>> 8)
      p += 1
      remaining &-= 1
    }
    return ~crc
  }
}
