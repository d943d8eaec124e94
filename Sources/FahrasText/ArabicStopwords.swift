/// Arabic stopwords: Lucene's Arabic list (Jacques Savoy's list, BSD license, as shipped with Lucene)
/// plus the question words ما ماذا من متى أين كيف هل لماذا كم.
///
/// A token is a stopword when its raw form (harakat and tatweel removed, letters as typed) is in the
/// list, or when its normalized form is in the normalized list, except that the forms that fold onto
/// content words, `contentForms` (علي the name, الي, قبل, بعد, بين, اي), are never stopwords by
/// themselves. So `على` and `إلى` are stopwords (raw match), `علي` and `قبل` are not.
enum ArabicStopwords {
  /// The published list, unnormalized (it has both أ and ا spellings).
  static let list: [String] = [
    "من", "ومن", "منها", "منه", "في", "وفي", "فيها", "فيه", "و", "ف", "ثم", "او", "أو", "ب", "بها",
    "به", "ا", "أ", "اى", "اي", "أي", "أى", "لا", "ولا", "الا", "ألا", "إلا", "لكن", "ما", "وما",
    "كما", "فما", "عن", "مع", "اذا", "إذا", "ان", "أن", "إن", "انها", "أنها", "إنها", "انه", "أنه",
    "إنه", "بان", "بأن", "فان", "فأن", "وان", "وأن", "وإن", "التى", "التي", "الذى", "الذي", "الذين",
    "الى", "الي", "إلى", "إلي", "على", "عليها", "عليه", "اما", "أما", "إما", "ايضا", "أيضا", "كل",
    "وكل", "لم", "ولم", "لن", "ولن", "هى", "هي", "هو", "وهى", "وهي", "وهو", "فهى", "فهي", "فهو",
    "انت", "أنت", "لك", "لها", "له", "هذه", "هذا", "تلك", "ذلك", "هناك", "كانت", "كان", "يكون",
    "تكون", "وكانت", "وكان", "غير", "بعض", "قد", "نحو", "بين", "بينما", "منذ", "ضمن", "حيث", "الان",
    "الآن", "خلال", "بعد", "قبل", "حتى", "عند", "عندما", "لدى", "جميع",
    // Question words (they help question-style queries and cost nothing elsewhere).
    "ماذا", "متى", "أين", "اين", "كيف", "هل", "لماذا", "كم",
  ]

  /// Forms that are content words once folded (or always): never stopwords on their own.
  static let contentForms: [String] = ["علي", "الي", "قبل", "بعد", "بين", "اي"]

  /// The process-wide matcher.
  static let shared = Matcher()

  /// The three sets the test needs.
  struct Matcher: Sendable {
    private let contentSet: ByteSet
    /// Raw list forms, without the content forms.
    private let rawSet: ByteSet
    /// Normalized list forms, without the content forms.
    private let normalizedSet: ByteSet

    fileprivate init() {
      let content = ByteSet(strings: ArabicStopwords.contentForms)
      contentSet = content
      rawSet = ByteSet(ArabicStopwords.list.map { Array($0.utf8) }.filter { !content.contains($0) })
      normalizedSet = ByteSet(
        ArabicStopwords.list.map { CharTable.shared.normalizedBytes($0) }.filter {
          !content.contains($0)
        })
    }

    /// Whether the token with normalized bytes `normalized` and raw bytes `raw` is a stopword.
    @inline(__always)
    func contains(
      normalized: UnsafePointer<UInt8>, count: Int, raw: UnsafePointer<UInt8>, rawCount: Int
    ) -> Bool {
      if normalizedSet.contains(normalized, count: count) { return true }
      // A normalized content form (علي) is a stopword only when it was typed as a listed form (على).
      if contentSet.contains(normalized, count: count) {
        return rawSet.contains(raw, count: rawCount)
      }
      return false
    }
  }
}
