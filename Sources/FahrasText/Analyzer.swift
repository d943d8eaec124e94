// FahrasText analyzer: UTF-8 text → tokens with a stemmed term, a light form, positions and offsets.
//
// Pipeline: one pass over the bytes (`TokenScanner`), no String, no allocation (three 256-byte scratch
// buffers on the stack per call).
//
// 1. Decoding. UTF-8 is decoded strictly (no overlongs, surrogates or values above U+10FFFF); every byte
//    of an ill-formed sequence is a separator, nothing traps. Runs of ASCII letters and digits are
//    lower-cased and copied byte by byte; two-byte letters and marks of the Arabic block inside an
//    Arabic word take a second fast path. Everything else is one lookup in `CharTable`.
//
// 2. Classification (`CharTable`: kind, script and fold of every code point below U+20000, built once
//    per process, lazily, in about 20 ms, from the standard library's Unicode properties and
//    Foundation's NFD/NFKC):
//    - letters (L*, Nl), combining marks and decimal digits (Nd) form words;
//    - ignorable characters join a word but produce nothing: Arabic harakat U+064B–U+065F, superscript
//      alef U+0670, combining hamza U+0653–U+0655 and every other Arabic, Hebrew and Syriac mark,
//      tatweel U+0640, generic combining diacritics (U+0300–U+036F and the other diacritic blocks),
//      variation selectors and format characters (ZWNJ U+200C, ZWJ U+200D, bidi marks, soft hyphen,
//      BOM). They never start a word; inside or at the end of one they extend its byte range;
//    - marks that spell letters (Indic vowel signs, virama, nukta, Thai vowels) are kept;
//    - everything else separates: white space (including U+200B), punctuation of every script
//      (، ؛ ؟ « » ٪ ۔ and ASCII), symbols, emoji, unassigned and private-use code points;
//    - `.` and the Arabic decimal separator `٫` between two digits stay in the word, as in Lucene:
//      `3.5` and `٣٫٥` → `3.5`, `192.168.0.1` is one token. Commas and `٬` split (`1,000` → `1`,
//      `000`); index and query agree either way;
//    - `'` and `’` between two Latin letters stay in the word as `'` (`don't`, `l'homme`); Porter2
//      removes a possessive `'s`. Elsewhere they separate;
//    - decision: URLs and e-mail addresses split at their punctuation (`www.spa.gov.sa` → `www`, `spa`,
//      `gov`, `sa`), hyphens split (`1950-1953` → `1950`, `1953`), `_` splits.
//
// 3. Compatibility folding: characters of the compatibility blocks (U+FB00–U+FFEF: Latin ligatures
//    ﬁ, Hebrew and Arabic presentation forms A and B including ﻻ → لا and ﻷ → لأ, full-width ASCII,
//    half-width kana; mathematical alphanumerics) are replaced by their NFKC expansion, which is
//    tokenized in their place; every token built from such a character covers the character's byte
//    range. An expansion containing spaces (ﷺ → صلى الله عليه وسلم) is tokenized as its own phrase.
//
// 4. Word boundaries between scripts. A word whose letters change script splits there
//    (`Fahrasفهرس` → `fahras`, `فهرس`). Scripts are coarse (Latin, Arabic, Greek, Cyrillic, Hebrew,
//    each Indic block, …; `ScriptRanges`). Digits and marks are script-neutral and join Latin and
//    other alphabetic words (`g20`, `mp3`, `2nd`), except that digits and Arabic letters split
//    (decision: `٢٠٢٣م` → `2023`, `م`; `1436هـ` → `1436`, `ه`), because Arabic text glues era letters
//    and units to numbers. Decision: CJK ideographs, kana and bopomofo give one token per character (a
//    following combining mark stays with it; digits split off); Hangul, Thai, Khmer and other scripts
//    written without spaces give one token per run (no dictionary segmentation).
//
// 5. Normalization of each word scalar (the fold in `CharTable`):
//    - case: ASCII by bit, other scripts by the Unicode lower-case mapping, plus the case-folding
//      specials (final sigma ς → σ, µ → μ, ϐ → β…);
//    - diacritics: letters below U+3100 (Latin-1, Latin Extended-A/B/Additional, Greek, Cyrillic,
//      Indic nukta forms, kana) are canonically decomposed and their generic diacritics dropped:
//      `café` = `cafe`, `Ärger` = `arger`, `ά` = `α`, `ё` = `е`, `й` = `и`, `İ` = `i`; decomposed input
//      gives the same result. Latin letters without a decomposition fold as Lucene's
//      ASCIIFoldingFilter does: ß → ss, æ → ae, œ → oe, ø → o, ł → l, đ ð → d, þ → th, ı → i
//      (`LatinFolding`). Every letter of Latin-1 and Latin Extended-A ends up as lower-case ASCII;
//    - every Nd digit becomes its ASCII digit (Arabic-Indic ٠–٩, extended ۰–۹, Devanagari…):
//      `٢٠٢٣` → `2023`;
//    - Arabic letters (`ArabicNormalization`: Lucene's ArabicNormalizer and PersianNormalizer and
//      more): `أ إ آ ٱ` → `ا`, `ى` → `ي`, `ة` → `ه`, Persian/Urdu `ی ے` → `ي`, `ک` → `ك`,
//      `ۀ ہ ە ھ` → `ه`; decision: the hamza carriers `ؤ ئ` → the bare hamza `ء`, so `مسؤول` = `مسئول`
//      and `شؤون` = `شئون`; a combining hamza U+0654 after `و` or `ي` is read as the precomposed
//      carrier. Harakat, tatweel and zero-width characters are removed (step 2).
//
// 6. Routing at the end of each word (`TokenScanner.flush`), by the word's script:
//    - Arabic: stopword test, then Larkey's light10 (`ArabicLightStemmer`) on the normalized word:
//      `term` = the light10 stem, `light` = the normalized word with only the proclitic و and one
//      article (ال وال بال كال فال لل) stripped, under light10's length conditions;
//    - Latin: stopword test, then Porter2 (`EnglishStemmer`) when the folded word is ASCII; `light` =
//      the folded word without a possessive `'s` or trailing `'` (as Lucene's
//      EnglishPossessiveFilter). Latin words that stay non-ASCII after folding (`ɛ`) are not stemmed;
//    - anything else (digits-only tokens, Greek, Cyrillic, Hebrew, Devanagari, CJK, …): `term` =
//      `light` = the normalized word.
//
// 7. Stopwords are emitted with `isStopword = true`, `term` = `light` = the whole normalized word.
//    Arabic (`ArabicStopwords`): Lucene's list (Savoy's) plus the question words ما ماذا من متى أين
//    كيف هل لماذا كم, matched on the raw word (harakat removed, letters as typed) and on the normalized
//    word, except that the forms that fold onto content words — علي (the name), الي, قبل, بعد, بين,
//    اي — are never stopwords themselves (`على`, `إلى`, `أي` still are, by their raw form). English
//    (`EnglishStopwords`): Lucene's 33 words, on the folded word before stemming.
//
// 8. Positions count tokens from 0; stopwords keep theirs (gaps, as in Lucene). Decision: a word whose
//    normalized form exceeds `maxTokenBytes` (255 bytes) is skipped but still consumes a position. A
//    word made only of removed characters (a lone haraka, a run of tatweel) is no token and takes no
//    position.
//
// Offsets are UTF-8 byte offsets into the original input, from the first to the last scalar that
// contributed to the token (harakat and joiners inside or after it included), so they always slice a
// non-empty, well-formed part of the original. `analyze(_:)` adds scalar offsets.

/// A token handed to a sink. Its buffers are valid only inside the callback.
public struct TokenView {
  /// Primary index term, UTF-8: normalized and stemmed.
  public var term: UnsafeBufferPointer<UInt8>
  /// Secondary form, UTF-8: normalized; Arabic: only the proclitic و and the article stripped (no
  /// suffix stripping); other scripts: normalized, not stemmed.
  public var light: UnsafeBufferPointer<UInt8>
  /// 0-based word position; stopwords consume a position.
  public var position: Int
  /// UTF-8 byte offset of the token in the original input (inclusive).
  public var startByte: Int
  /// UTF-8 byte offset of the end of the token in the original input (exclusive).
  public var endByte: Int
  /// Whether the token is a stopword (stopwords are emitted; the caller decides).
  public var isStopword: Bool

  public init(
    term: UnsafeBufferPointer<UInt8>, light: UnsafeBufferPointer<UInt8>, position: Int,
    startByte: Int, endByte: Int, isStopword: Bool
  ) {
    self.term = term
    self.light = light
    self.position = position
    self.startByte = startByte
    self.endByte = endByte
    self.isStopword = isStopword
  }
}

/// The owning form of a token, for tests, queries and `fahras analyze`.
public struct Token: Sendable, Hashable {
  /// Primary index term: normalized and stemmed.
  public var term: String
  /// Secondary form: normalized; Arabic: only و and the article stripped.
  public var light: String
  /// 0-based word position; stopwords consume a position.
  public var position: Int
  /// UTF-8 offsets into the original (start inclusive, end exclusive).
  public var startByte: Int, endByte: Int
  /// The same range in Unicode scalars of the original.
  public var startScalar: Int, endScalar: Int
  /// Whether the token is a stopword.
  public var isStopword: Bool

  public init(
    term: String, light: String, position: Int, startByte: Int, endByte: Int, startScalar: Int,
    endScalar: Int, isStopword: Bool
  ) {
    self.term = term
    self.light = light
    self.position = position
    self.startByte = startByte
    self.endByte = endByte
    self.startScalar = startScalar
    self.endScalar = endScalar
    self.isStopword = isStopword
  }
}

/// The text analyzer: tokenization, normalization, stopwords and stemming for every script, with
/// Arabic and English chains. The same analyzer must be used at index and query time.
public struct Analyzer: Sendable {
  /// Longest normalized token, in UTF-8 bytes; longer words are skipped (they keep their position).
  public static let maxTokenBytes = 255

  /// Whether `light` is the light form of a stopword. `$light` indexes stopwords under their whole
  /// normalized form, so a content word with such a light form shares its `$light` list with the
  /// stopword: `آلي` and the stopword `إلى` are both `الي`, `علي` (the name) and `على` both `علي`,
  /// `وهذا` and `هذا` both `هذا`. There, unlike for other words, the light form can occur more often
  /// than the stem in a document, and in documents without it.
  public static func isStopwordLightForm(_ light: [UInt8]) -> Bool {
    stopwordLightForms.contains(light)
  }

  /// The light forms of the listed stopwords, as the analyzer emits them. A listed form that is
  /// never a stopword on its own (`بعد`, `قبل`, `بين`: `ArabicStopwords.contentForms`) is left out,
  /// unless another listed form folds onto it (`على` onto `علي`).
  private static let stopwordLightForms: ByteSet = {
    let analyzer = Analyzer()
    let forms = (ArabicStopwords.list + EnglishStopwords.list).flatMap { word in
      analyzer.analyze(word).filter(\.isStopword).map { Array($0.light.utf8) }
    }
    return ByteSet(forms)
  }()

  /// Creates an analyzer. The first one built in a process loads the character table (about 15 ms).
  public init() {
    _ = CharTable.shared
    _ = ArabicStopwords.shared
  }

  /// Analyzes UTF-8 text, calling `sink` once per token in order. Invalid UTF-8 bytes separate words.
  ///
  /// The hot path of the indexer: no String, no allocation per token.
  ///
  /// - Complexity: O(n) in the number of bytes.
  public func analyze(utf8 text: UnsafeBufferPointer<UInt8>, _ sink: (TokenView) -> Void) {
    guard let base = text.baseAddress, !text.isEmpty else { return }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 * TokenScanner.bufferSize) {
      scratch in
      guard let scratchBase = scratch.baseAddress else { return }
      var scanner = TokenScanner(text: base, count: text.count, scratch: scratchBase)
      scanner.run(sink)
    }
  }

  /// Analyzes a string into owning tokens, with byte and scalar offsets into `text`.
  public func analyze(_ text: String) -> [Token] {
    var text = text
    return text.withUTF8 { utf8 in
      var tokens: [Token] = []
      analyze(utf8: utf8) { view in
        tokens.append(
          Token(
            term: String(decoding: view.term, as: UTF8.self),
            light: String(decoding: view.light, as: UTF8.self), position: view.position,
            startByte: view.startByte, endByte: view.endByte, startScalar: 0, endScalar: 0,
            isStopword: view.isStopword))
      }
      ScalarOffsets.fill(&tokens, utf8: utf8)
      return tokens
    }
  }
}

/// Converts token byte offsets to scalar offsets.
enum ScalarOffsets {
  /// Sets `startScalar` and `endScalar` from `startByte` and `endByte`.
  ///
  /// Start offsets are non-decreasing along the token list, and so are end offsets, so each is found by
  /// one forward walk over the bytes.
  ///
  /// - Complexity: O(n + t) for n bytes and t tokens.
  static func fill(_ tokens: inout [Token], utf8: UnsafeBufferPointer<UInt8>) {
    var counter = Counter(utf8: utf8)
    for index in tokens.indices {
      tokens[index].startScalar = counter.scalars(upTo: tokens[index].startByte)
    }
    counter = Counter(utf8: utf8)
    for index in tokens.indices {
      tokens[index].endScalar = counter.scalars(upTo: tokens[index].endByte)
    }
  }

  private struct Counter {
    let utf8: UnsafeBufferPointer<UInt8>
    var byte = 0
    var scalar = 0

    /// Scalars in `utf8[0 ..< offset]`.
    mutating func scalars(upTo offset: Int) -> Int {
      if offset < byte {  // not expected; restart rather than be wrong
        byte = 0
        scalar = 0
      }
      while byte < offset && byte < utf8.count {
        if utf8[byte] & 0xC0 != 0x80 { scalar += 1 }
        byte += 1
      }
      return scalar
    }
  }
}
