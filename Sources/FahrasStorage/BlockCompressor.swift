/// LZ4-style block compression: our own implementation of the LZ4 *block* format semantics (no frame,
/// no checksum, no stored sizes — the caller records the uncompressed size next to the block).
///
/// ## Format
///
/// A compressed block is a sequence of *sequences*; each one appends a run of literal bytes and then
/// (except in the last sequence) a copy of earlier output to the decoded data:
///
///     sequence      = token, literal-length-extension, literals, offset, match-length-extension
///     last sequence = token, literal-length-extension, literals        (the input ends here)
///
/// - `token` (1 byte): high nibble `L`, low nibble `M`.
/// - Literal length: `L` when `L < 15`. When `L == 15`, extension bytes follow and are added to 15: each
///   byte `b` adds `b`, and reading continues while `b == 255` (so 15 is encoded as `0xF?` `0x00`, 270 as
///   `0xF?` `0xFF` `0x00`, 271 as `0xF?` `0xFF` `0x01`).
/// - `literals`: that many bytes, copied verbatim to the output.
/// - If the compressed input ends exactly after the literals, that was the last sequence and decoding
///   stops; its `M` nibble is meaningless (the encoder writes 0, the decoder ignores it).
/// - `offset` (2 bytes, little-endian `UInt16`), 1...65535: the match starts `offset` bytes before the
///   current end of the output; offset 0 and offsets reaching before the start of the output are errors.
/// - Match length: `M + 4` (4...18), or, when `M == 15`, `19` plus extension bytes exactly as for
///   literals.
/// - The match is copied as if byte by byte, front to back, so an offset smaller than the match length
///   repeats the last `offset` bytes (offset 1 with length 10 writes the previous byte 10 times).
///
/// The decoded size is not stored; the decoder is given it and the stream must produce exactly that many
/// bytes, ending with a literal-only sequence that consumes the last input byte.
///
/// The encoder additionally follows LZ4's end-of-block rules, so its output is a valid LZ4 block:
/// the last 5 bytes of the data are always literals (matches end at most at `count - 5`), no match starts
/// within the last 12 bytes (a match starts at most at `count - 13`), so inputs under 13 bytes are a single
/// literal run, and empty input compresses to the single token byte `0x00`. The decoder does not rely on
/// these rules and accepts any stream that satisfies the format above.
///
/// ## Encoder
///
/// Greedy, single pass: a 4096-entry hash table maps a hash of the bytes at a position (5 of them, see
/// `hash`) to the last position with that hash; a candidate whose first 4 bytes really match (and is at
/// most 65535 back) becomes a match, extended backwards over pending literals and forwards as far as it
/// goes. Positions without a match are skipped at an accelerating stride on incompressible data. Fast
/// rather than maximal.
public enum BlockCompressor {
  /// Malformed compressed data.
  public enum Error: Swift.Error, Equatable {
    /// The compressed block is malformed; the string says how.
    case corrupt(String)
  }

  /// Largest compressed size of `count` input bytes (the LZ4 bound `count + count / 255 + 16`).
  public static func maxCompressedSize(_ count: Int) -> Int {
    count + count / 255 + 16
  }

  /// Appends the compressed form of `input` to `output` (existing contents are kept).
  ///
  /// - Complexity: O(n) time, a 16 KB hash table, and at most `maxCompressedSize(input.count)` bytes
  ///   appended.
  public static func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
    let bound = maxCompressedSize(input.count)
    let start = output.count
    output.append(contentsOf: repeatElement(0, count: bound))
    let written = output.withUnsafeMutableBufferPointer { buffer in
      encode(input, buffer.baseAddress! + start)
    }
    output.removeLast(bound - written)
  }

  /// Decompresses `input` into `output`, which must be exactly the size of the original data, and
  /// returns the number of bytes produced (`output.count`). With `limit`, decoding stops after the
  /// first sequence that brings the output to at least `limit` bytes: the bytes before the returned
  /// count are then the original's first bytes, the rest of `output` is unspecified.
  ///
  /// Throws `BlockCompressor.Error.corrupt` on any malformed input — empty input, a truncated sequence,
  /// an offset of 0 or before the start of the output, a literal run or match that would overrun
  /// `output`, or a stream that ends before filling `output` — and never reads or writes out of bounds.
  /// On error, the contents of `output` are unspecified.
  ///
  /// - Complexity: O(input.count + output.count).
  public static func decompress(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
    stoppingAfter limit: Int = .max
  ) throws -> Int {
    guard let src = input.baseAddress, input.count > 0 else {
      throw Error.corrupt("empty input (a block holds at least one token)")
    }
    // With an empty output nothing is ever written, so any non-nil pointer will do.
    let dst = output.baseAddress ?? UnsafeMutableRawPointer(mutating: src)
    let inEnd = input.count
    let outEnd = output.count
    var ip = 0
    var op = 0
    while true {
      guard ip < inEnd else { throw Error.corrupt("truncated: missing token at \(ip)") }
      let token = Int(src.load(fromByteOffset: ip, as: UInt8.self))
      ip &+= 1

      var literalLength = token &>> 4
      if literalLength == 15 {
        literalLength = try readExtension(src, &ip, inEnd, literalLength)
      }
      guard literalLength <= inEnd &- ip else {
        throw Error.corrupt("truncated: literal run of \(literalLength) bytes at \(ip)")
      }
      guard literalLength <= outEnd &- op else {
        throw Error.corrupt("literal run of \(literalLength) bytes overruns the output at \(op)")
      }
      if literalLength <= 16 && inEnd &- ip >= 16 && outEnd &- op >= 16 {
        // Short run with slack on both sides: one fixed 16-byte copy (bytes past the run are rewritten).
        (dst + op).copyMemory(from: src + ip, byteCount: 16)
      } else {
        (dst + op).copyMemory(from: src + ip, byteCount: literalLength)
      }
      ip &+= literalLength
      op &+= literalLength
      if op >= limit { return op }

      if ip == inEnd {
        guard op == outEnd else {
          throw Error.corrupt("ends after \(op) bytes, expected \(outEnd)")
        }
        return op
      }

      guard inEnd &- ip >= 2 else { throw Error.corrupt("truncated: offset at \(ip)") }
      let offset = Int(
        UInt16(littleEndian: src.loadUnaligned(fromByteOffset: ip, as: UInt16.self)))
      ip &+= 2
      guard offset != 0 else { throw Error.corrupt("offset 0 at \(ip - 2)") }
      guard offset <= op else {
        throw Error.corrupt("offset \(offset) reaches before the start at output \(op)")
      }
      var matchLength = token & 15
      if matchLength == 15 {
        matchLength = try readExtension(src, &ip, inEnd, matchLength)
      }
      matchLength &+= 4
      guard matchLength <= outEnd &- op else {
        throw Error.corrupt("match of \(matchLength) bytes overruns the output at \(op)")
      }
      copyMatch(dst, op, offset, matchLength, outEnd)
      op &+= matchLength
      if op >= limit { return op }
    }
  }

  // MARK: - Decoder helpers

  /// Adds length extension bytes (each added, continuing while 255) to `base`.
  @inline(__always)
  private static func readExtension(
    _ src: UnsafeRawPointer, _ ip: inout Int, _ inEnd: Int, _ base: Int
  ) throws -> Int {
    var length = base
    while true {
      guard ip < inEnd else { throw Error.corrupt("truncated: length extension at \(ip)") }
      let byte = Int(src.load(fromByteOffset: ip, as: UInt8.self))
      ip &+= 1
      length &+= byte
      if byte != 255 { return length }
    }
  }

  /// Copies `length` bytes from `op - offset` to `op` with byte-by-byte semantics. Callers have checked
  /// `offset <= op` and `op + length <= outEnd`.
  @inline(__always)
  private static func copyMatch(
    _ dst: UnsafeMutableRawPointer, _ op: Int, _ offset: Int, _ length: Int, _ outEnd: Int
  ) {
    var to = op
    var from = op &- offset
    let end = op &+ length
    if offset >= 8 && end &+ 8 <= outEnd {
      // 8-byte steps may write up to 7 bytes past `end` (later overwritten). Each step reads 8 bytes at
      // least 8 behind where it writes, so it only reads bytes that are already final.
      while to < end {
        dst.storeBytes(
          of: dst.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: to,
          as: UInt64.self)
        to &+= 8
        from &+= 8
      }
    } else if offset >= length {
      (dst + to).copyMemory(from: dst + from, byteCount: length)
    } else {
      while to < end {
        dst.storeBytes(
          of: dst.load(fromByteOffset: from, as: UInt8.self), toByteOffset: to, as: UInt8.self)
        to &+= 1
        from &+= 1
      }
    }
  }

  // MARK: - Encoder

  private static let hashBits = 12
  private static let minimumMatch = 4
  /// Matches end at least this many bytes before the end of the input.
  private static let lastLiterals = 5
  /// Matches start at least this many bytes (+1) before the end of the input.
  private static let matchFindLimit = 12

  /// Hash of the 5 bytes at `offset` (the low 40 bits of a little-endian 8-byte load, multiplied by a
  /// large odd constant; the top `hashBits` bits). Hashing 5 rather than 4 bytes keeps short, frequent
  /// 4-byte patterns (two Arabic letters in UTF-8) from evicting better candidates: on Arabic news text
  /// this compresses about 12% smaller than a 4-byte hash at a similar speed. Callers guarantee 8
  /// readable bytes at `offset`.
  @inline(__always)
  private static func hash(_ src: UnsafeRawPointer, _ offset: Int) -> Int {
    let word = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    return Int(((word &<< 24) &* 889_523_592_379) &>> UInt64(64 - hashBits))
  }

  /// Encodes `input` into `dst`, which has room for `maxCompressedSize(input.count)` bytes; returns the
  /// number of bytes written.
  private static func encode(
    _ input: UnsafeRawBufferPointer, _ dst: UnsafeMutablePointer<UInt8>
  ) -> Int {
    let n = input.count
    var op = dst
    guard let src = input.baseAddress, n > matchFindLimit else {
      emitSequence(&op, input.baseAddress, n, offset: 0, matchLength: 0)
      return op - dst
    }
    // Positions are stored truncated to 32 bits; the distance is recomputed with wrapping arithmetic
    // and every candidate is verified, so inputs of any size are safe.
    let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 1 << hashBits)
    table.initialize(repeating: 0, count: 1 << hashBits)
    defer { table.deallocate() }

    let matchEndLimit = n - lastLiterals  // a match may extend up to here (exclusive)
    let matchStartLimit = n - matchFindLimit  // a match must start before this
    var anchor = 0  // first byte not yet emitted
    var p = 1
    var attempts = 64  // probes since the last match, biased so that `attempts >> 6` is the step
    table[hash(src, 0)] = 0
    while p < matchStartLimit {
      let sequence = load32(src, p)
      let h = hash(src, p)
      let distance = Int(UInt32(truncatingIfNeeded: p) &- table[h])
      table[h] = UInt32(truncatingIfNeeded: p)
      guard distance > 0, distance <= 65535, distance <= p, load32(src, p - distance) == sequence
      else {
        // Step faster the longer the search goes without a match (LZ4's acceleration heuristic):
        // one byte for the first 64 probes, then 2 for the next 64, and so on.
        p &+= attempts &>> 6
        attempts &+= 1
        continue
      }
      var start = p
      var candidate = p - distance
      while start > anchor && candidate > 0
        && src.load(fromByteOffset: start - 1, as: UInt8.self)
          == src.load(fromByteOffset: candidate - 1, as: UInt8.self)
      {
        start -= 1
        candidate -= 1
      }
      let end = matchEnd(src, p + minimumMatch, p - distance + minimumMatch, matchEndLimit)
      emitSequence(
        &op, src + anchor, start - anchor, offset: distance, matchLength: end - start)
      anchor = end
      p = end
      attempts = 64
      if end - 2 < matchStartLimit {
        table[hash(src, end - 2)] = UInt32(truncatingIfNeeded: end - 2)
      }
    }
    emitSequence(&op, src + anchor, n - anchor, offset: 0, matchLength: 0)
    return op - dst
  }

  /// Extends a match forwards: the first position `>= position` (at most `limit`) where the bytes at
  /// `position` and `candidate` (`candidate < position`) start to differ.
  @inline(__always)
  private static func matchEnd(
    _ src: UnsafeRawPointer, _ position: Int, _ candidate: Int, _ limit: Int
  ) -> Int {
    var p = position
    var c = candidate
    while p &+ 8 <= limit {
      let difference =
        src.loadUnaligned(fromByteOffset: p, as: UInt64.self)
        ^ src.loadUnaligned(fromByteOffset: c, as: UInt64.self)
      if difference != 0 {
        let sameBytes = UInt64(littleEndian: difference).trailingZeroBitCount &>> 3
        return p &+ sameBytes
      }
      p &+= 8
      c &+= 8
    }
    while p < limit
      && src.load(fromByteOffset: p, as: UInt8.self) == src.load(fromByteOffset: c, as: UInt8.self)
    {
      p &+= 1
      c &+= 1
    }
    return p
  }

  @inline(__always)
  private static func load32(_ src: UnsafeRawPointer, _ offset: Int) -> UInt32 {
    src.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
  }

  /// Writes one sequence: `literalCount` literals from `literals`, then, when `matchLength > 0`, the
  /// match (`offset`, `matchLength >= 4`); `matchLength == 0` writes a last, literal-only sequence.
  @inline(__always)
  private static func emitSequence(
    _ op: inout UnsafeMutablePointer<UInt8>, _ literals: UnsafeRawPointer?, _ literalCount: Int,
    offset: Int, matchLength: Int
  ) {
    let tokenAt = op
    op += 1
    var token: UInt8
    if literalCount >= 15 {
      token = 0xF0
      writeExtension(&op, literalCount - 15)
    } else {
      token = UInt8(literalCount) << 4
    }
    if literalCount > 0, let literals {
      UnsafeMutableRawPointer(op).copyMemory(from: literals, byteCount: literalCount)
      op += literalCount
    }
    if matchLength > 0 {
      op[0] = UInt8(truncatingIfNeeded: offset)
      op[1] = UInt8(truncatingIfNeeded: offset &>> 8)
      op += 2
      let code = matchLength - minimumMatch
      if code >= 15 {
        token |= 15
        writeExtension(&op, code - 15)
      } else {
        token |= UInt8(code)
      }
    }
    tokenAt.pointee = token
  }

  @inline(__always)
  private static func writeExtension(_ op: inout UnsafeMutablePointer<UInt8>, _ value: Int) {
    var rest = value
    while rest >= 255 {
      op.pointee = 255
      op += 1
      rest -= 255
    }
    op.pointee = UInt8(rest)
    op += 1
  }
}
