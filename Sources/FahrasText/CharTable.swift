/// The per-scalar lookup table of the analyzer: kind, script and fold for every code point below
/// U+20000 (the BMP and the SMP), built once, lazily, on first use (about 15 ms).
///
/// A fold is the UTF-8 text a scalar contributes to a term: lower case, Latin (and Greek, Cyrillic)
/// diacritics removed, Arabic letters normalized, digits as ASCII. For `expansion` kinds it is instead
/// the NFKC expansion, which the tokenizer feeds back in place of the scalar.
///
/// The storage is allocated once and lives as long as the process (`shared` is never released), which
/// lets the hot loop use raw pointers without retain/release or bounds checks.
final class CharTable: @unchecked Sendable {
  // @unchecked: every stored property is written in `init` only and read-only afterwards.

  /// The process-wide table.
  static let shared = CharTable()

  /// Number of code points with a table entry.
  static let size = 0x2_0000

  /// `size` packed `ScalarInfo` entries.
  let info: UnsafeMutablePointer<UInt32>
  /// Concatenated fold texts (UTF-8).
  let foldBytes: UnsafeMutablePointer<UInt8>
  /// Fold `i` is `foldBytes[foldStarts[i] ..< foldStarts[i + 1]]`.
  let foldStarts: UnsafeMutablePointer<UInt32>
  /// Number of folds, including the unused identity fold 0.
  let foldCount: Int

  private init() {
    var builder = CharTableBuilder()
    builder.build()
    info = .allocate(capacity: Self.size)
    info.initialize(from: builder.info, count: Self.size)
    foldBytes = .allocate(capacity: max(builder.foldBytes.count, 1))
    foldBytes.initialize(from: builder.foldBytes, count: builder.foldBytes.count)
    foldStarts = .allocate(capacity: builder.foldStarts.count)
    foldStarts.initialize(from: builder.foldStarts, count: builder.foldStarts.count)
    foldCount = builder.foldStarts.count - 1
  }

  deinit {
    info.deallocate()
    foldBytes.deallocate()
    foldStarts.deallocate()
  }

  /// The entry for `scalar`.
  @inline(__always)
  func lookup(_ scalar: UInt32) -> ScalarInfo {
    if scalar < UInt32(Self.size) { return ScalarInfo(raw: info[Int(scalar)]) }
    return Self.supplementaryInfo(scalar)
  }

  /// The UTF-8 text of fold `index` (> 0).
  @inline(__always)
  func fold(_ index: Int) -> (start: UnsafePointer<UInt8>, count: Int) {
    let lower = Int(foldStarts[index])
    return (UnsafePointer(foldBytes + lower), Int(foldStarts[index + 1]) - lower)
  }

  /// Entries above the table: CJK ideographs of planes 2–3 are single-character letters, tag
  /// characters and variation selectors of plane 14 are ignorable, everything else separates.
  static func supplementaryInfo(_ scalar: UInt32) -> ScalarInfo {
    guard let value = Unicode.Scalar(scalar) else { return .separator }
    switch value.properties.generalCategory {
    case .otherLetter, .letterNumber, .modifierLetter, .lowercaseLetter, .uppercaseLetter,
      .titlecaseLetter:
      return ScalarInfo(
        kind: ScalarKind.letter,
        script: scalar <= 0x3_FFFF ? Script.cjk : ScriptRanges.script(of: scalar))
    case .format, .nonspacingMark:
      return scalar >= 0xE_0000 && scalar <= 0xE_0FFF ? .ignorable : .separator
    default:
      return .separator
    }
  }

  /// The folded UTF-8 form of a short string, scalar by scalar, without tokenizing: ignorable scalars
  /// are dropped, letters, digits and marks take their folds. Used to normalize word lists.
  func normalizedBytes(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    for scalar in text.unicodeScalars {
      let entry = lookup(scalar.value)
      switch entry.kind {
      case ScalarKind.ignorable, ScalarKind.separator:
        continue
      default:
        if entry.fold == 0 {
          out.append(contentsOf: String(scalar).utf8)
        } else {
          let (start, count) = fold(entry.fold)
          out.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
        }
      }
    }
    return out
  }
}
