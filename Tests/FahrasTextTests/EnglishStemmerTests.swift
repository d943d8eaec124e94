import Testing

@testable import FahrasText

// Golden pairs: the expected stems are those of the classic Porter2 algorithm as published by the Snowball
// project (its English sample vocabulary and output, before the Snowball 3.0 revisions), plus words chosen
// to exercise each step and each exceptional form.

@Suite("EnglishStemmer golden table")
struct EnglishStemmerGoldenTests {
  /// Checks every pair through both the String and the pointer API.
  private func check(
    _ pairs: [(word: String, stem: String)], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (word, expected) in pairs {
      #expect(
        EnglishStemmer.stem(word) == expected, "stem(\(word))", sourceLocation: sourceLocation)
      var bytes = Array(word.utf8)
      let length = bytes.withUnsafeMutableBufferPointer { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return EnglishStemmer.stem(base, count: buffer.count)
      }
      #expect(
        String(decoding: bytes[..<length], as: UTF8.self) == expected, "pointer stem(\(word))",
        sourceLocation: sourceLocation)
    }
  }

  @Test func exceptionalForms() { check(EnglishGoldenStems.exceptionalForms) }
  @Test func invariantsAfterStep1a() { check(EnglishGoldenStems.invariantAfterStep1a) }
  @Test func shortWordsAndApostrophes() { check(EnglishGoldenStems.shortAndApostrophe) }
  @Test func consonantYMarking() { check(EnglishGoldenStems.yMarking) }
  @Test func specialRegionPrefixes() { check(EnglishGoldenStems.specialRegions) }
  @Test func step1a() { check(EnglishGoldenStems.step1a) }
  @Test func step1b() { check(EnglishGoldenStems.step1b) }
  @Test func step1c() { check(EnglishGoldenStems.step1c) }
  @Test func step2() { check(EnglishGoldenStems.step2) }
  @Test func step3() { check(EnglishGoldenStems.step3) }
  @Test func step4() { check(EnglishGoldenStems.step4) }
  @Test func step5() { check(EnglishGoldenStems.step5) }
  @Test func snowballVocabulary() { check(EnglishGoldenStems.vocabulary) }

  @Test func stemsInPlaceWithoutTouchingBytesPastCount() {
    // "generously" sits inside a larger buffer; only its own bytes may change.
    var buffer = Array("xx generously yy".utf8)
    let length = buffer.withUnsafeMutableBufferPointer {
      EnglishStemmer.stem($0.baseAddress! + 3, count: 10)
    }
    #expect(length == 8)
    #expect(String(decoding: buffer[3..<(3 + length)], as: UTF8.self) == "generous")
    #expect(Array(buffer[0..<3]) == Array("xx ".utf8))
    #expect(Array(buffer[13...]) == Array(" yy".utf8))
  }
}

@Suite("EnglishStemmer properties")
struct EnglishStemmerPropertyTests {
  private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789'".utf8)
  private static let sentinel: UInt8 = 0xA5
  private static let suffixes = [
    "s", "es", "ies", "ied", "ed", "ing", "ingly", "edly", "eed", "ly", "ness", "fulness",
    "ational", "ization",
    "ator", "alism", "biliti", "ogi", "lessli", "alize", "icate", "ative", "ement", "ion", "e",
    "ll", "y", "'s",
    "'",
  ]

  /// Runs the pointer API on `word` with guard bytes after it; checks the contract and returns the stem.
  private func stemChecked(_ word: [UInt8], sourceLocation: SourceLocation = #_sourceLocation)
    -> [UInt8]
  {
    var buffer = word + [UInt8](repeating: Self.sentinel, count: 8)
    let length = buffer.withUnsafeMutableBufferPointer {
      EnglishStemmer.stem($0.baseAddress!, count: word.count)
    }
    #expect(
      length >= 0 && length <= word.count, "length of \(word)", sourceLocation: sourceLocation)
    #expect(
      buffer[word.count...].allSatisfy { $0 == Self.sentinel }, "wrote past count",
      sourceLocation: sourceLocation)
    guard length >= 0 && length <= word.count else { return word }
    return Array(buffer[..<length])
  }

  @Test func randomAlphabetWordsNeverTrapOrLengthen() {
    var rng = StemmerSplitMix64(seed: 0x5EED_0001)
    for _ in 0..<20_000 {
      let count = Int(rng.next() % 25)
      let word = (0..<count).map { _ in Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))]
      }
      let stem = stemChecked(word)
      #expect(
        stem.allSatisfy(EnglishStemmer.isAlphabetByte),
        "stem of \(word) left the alphabet (Y marker?)")
      if count < 3 { #expect(stem == word) }
      let text = String(decoding: word, as: UTF8.self)
      #expect(EnglishStemmer.stem(text) == String(decoding: stem, as: UTF8.self))
    }
  }

  @Test func randomEnglishShapedWordsNeverTrapOrLengthen() {
    // Vowel-heavy stems with real suffixes reach the later steps far more often than uniform noise.
    let letters = Array("aeiouyaeiouybcdfglmnprstvwxy'".utf8)
    var rng = StemmerSplitMix64(seed: 0x5EED_0002)
    for _ in 0..<20_000 {
      var word = (0..<Int(rng.next() % 8)).map { _ in
        letters[Int(rng.next() % UInt64(letters.count))]
      }
      for _ in 0..<Int(rng.next() % 3) {
        word += Array(Self.suffixes[Int(rng.next() % UInt64(Self.suffixes.count))].utf8)
      }
      let stem = stemChecked(word)
      #expect(stem.allSatisfy(EnglishStemmer.isAlphabetByte), "stem of \(word) left the alphabet")
    }
  }

  @Test func bytesOutsideTheAlphabetLeaveTheWordUnchanged() {
    var rng = StemmerSplitMix64(seed: 0x5EED_0003)
    for _ in 0..<20_000 {
      let count = Int(rng.next() % 17)
      var word = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      if count > 0 && rng.next() % 2 == 0 {
        // Mostly valid words with one foreign byte somewhere.
        word = word.map { Self.alphabet[Int($0) % Self.alphabet.count] }
        word[Int(rng.next() % UInt64(count))] =
          [0x00, 0x41, 0x59, 0x2D, 0x7F, 0x80, 0xC3, 0xFF][Int(rng.next() % 8)]
      }
      let stem = stemChecked(word)
      if !word.allSatisfy(EnglishStemmer.isAlphabetByte) || count < 3 {
        #expect(stem == word, "\(word) should be returned unchanged")
      }
    }
  }

  @Test(arguments: [
    "café", "cafés", "naïve", "über", "straße", "résumés", "東京", "🙂🙂🙂", "runningé", "RUNNING",
    "Running",
    "running!", "hello world", "e-mail", "generously\u{0}", "yes\u{7F}",
  ])
  func nonAlphabetInputIsUnchanged(_ word: String) {
    #expect(EnglishStemmer.stem(word) == word)
  }

  @Test func degenerateCountsAreReturnedUnchanged() {
    var bytes = Array("ies".utf8)
    bytes.withUnsafeMutableBufferPointer { buffer in
      let base = buffer.baseAddress!
      #expect(EnglishStemmer.stem(base, count: 0) == 0)
      #expect(EnglishStemmer.stem(base, count: -5) == -5)
      #expect(EnglishStemmer.stem(base, count: 1) == 1)
      #expect(EnglishStemmer.stem(base, count: 2) == 2)
    }
    #expect(bytes == Array("ies".utf8))
    #expect(EnglishStemmer.stem("") == "")
    #expect(EnglishStemmer.stem("is") == "is")
  }
}

/// SplitMix64, a tiny seeded generator, so property runs are reproducible.
private struct StemmerSplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}

/// Word → stem pairs, grouped by the part of the algorithm they exercise.
private enum EnglishGoldenStems {
  /// Words stemmed by table, plus near misses that go through the rules.
  static let exceptionalForms: [(word: String, stem: String)] = [
    ("skis", "ski"),
    ("skies", "sky"),
    ("dying", "die"),
    ("lying", "lie"),
    ("tying", "tie"),
    ("idly", "idl"),
    ("gently", "gentl"),
    ("ugly", "ugli"),
    ("early", "earli"),
    ("only", "onli"),
    ("singly", "singl"),
    ("sky", "sky"),
    ("news", "news"),
    ("howe", "howe"),
    ("atlas", "atlas"),
    ("cosmos", "cosmos"),
    ("bias", "bias"),
    ("andes", "andes"),
    ("'skis", "skis"),
    ("skiing", "ski"),
    ("skied", "ski"),
    ("skying", "ski"),
    ("newsy", "newsi"),
    ("biases", "bias"),
    ("atlases", "atlas"),
    ("lie", "lie"),
    ("tie", "tie"),
    ("die", "die"),
  ]

  /// inning, outing, canning, herring, earring, proceed, exceed, succeed: frozen after step 1a.
  static let invariantAfterStep1a: [(word: String, stem: String)] = [
    ("inning", "inning"),
    ("innings", "inning"),
    ("outing", "outing"),
    ("outings", "outing"),
    ("canning", "canning"),
    ("cannings", "canning"),
    ("herring", "herring"),
    ("herrings", "herring"),
    ("earring", "earring"),
    ("earrings", "earring"),
    ("proceed", "proceed"),
    ("proceeds", "proceed"),
    ("exceed", "exceed"),
    ("exceeds", "exceed"),
    ("succeed", "succeed"),
    ("succeeds", "succeed"),
    ("inning's", "inning"),
    ("proceeded", "proceed"),
    ("exceeding", "exceed"),
    ("succeeding", "succeed"),
    ("outed", "out"),
  ]

  /// Words under three letters, leading apostrophe removal and step 0.
  static let shortAndApostrophe: [(word: String, stem: String)] = [
    ("a", "a"),
    ("ab", "ab"),
    ("is", "is"),
    ("as", "as"),
    ("by", "by"),
    ("'s", "'s"),
    ("''", "''"),
    ("'", "'"),
    ("'''", "'"),
    ("'a", "'a"),
    ("'a'", "a"),
    ("'aa", "aa"),
    ("'aa'", "aa"),
    ("'as", "as"),
    ("'as'", "as"),
    ("a'", "a'"),
    ("a''", "a'"),
    ("aa'", "aa"),
    ("'tis", "tis"),
    ("'hello", "hello"),
    ("''abc", "'abc"),
    ("dog's", "dog"),
    ("dogs'", "dog"),
    ("dog's'", "dog"),
    ("cat's'", "cat"),
    ("ones'", "one"),
    ("children's", "children"),
    ("it's", "it"),
    ("isn't", "isn't"),
    ("don't", "don't"),
    ("o'clock", "o'clock"),
    ("ne'er", "ne'er"),
  ]

  /// Initial y and y after a vowel act as consonants (Y), restored to y at the end.
  static let yMarking: [(word: String, stem: String)] = [
    ("yes", "yes"),
    ("youth", "youth"),
    ("yelled", "yell"),
    ("yearly", "year"),
    ("boy", "boy"),
    ("boys", "boy"),
    ("player", "player"),
    ("players", "player"),
    ("saying", "say"),
    ("layer", "layer"),
    ("layering", "layer"),
    ("enjoying", "enjoy"),
    ("enjoyed", "enjoy"),
    ("obeyed", "obey"),
    ("employment", "employ"),
    ("ayyy", "ayyy"),
    ("yyy", "yyy"),
    ("coyote", "coyot"),
    ("joyful", "joy"),
    ("annoyance", "annoy"),
    ("toying", "toy"),
    ("buoyancy", "buoyanc"),
  ]

  /// R1 starts after gener, commun and arsen.
  static let specialRegions: [(word: String, stem: String)] = [
    ("generate", "generat"),
    ("generates", "generat"),
    ("generated", "generat"),
    ("generating", "generat"),
    ("general", "general"),
    ("generally", "general"),
    ("generic", "generic"),
    ("generically", "generic"),
    ("generous", "generous"),
    ("generously", "generous"),
    ("generosity", "generos"),
    ("communism", "communism"),
    ("communication", "communic"),
    ("community", "communiti"),
    ("communal", "communal"),
    ("communicate", "communic"),
    ("arsenal", "arsenal"),
    ("arsenals", "arsenal"),
    ("arsenic", "arsenic"),
    ("arsenious", "arsenious"),
  ]

  /// sses, ied/ies, s, us/ss.
  static let step1a: [(word: String, stem: String)] = [
    ("caresses", "caress"),
    ("caress", "caress"),
    ("ponies", "poni"),
    ("ties", "tie"),
    ("cries", "cri"),
    ("tied", "tie"),
    ("cried", "cri"),
    ("dies", "die"),
    ("lies", "lie"),
    ("gas", "gas"),
    ("gases", "gase"),
    ("this", "this"),
    ("gaps", "gap"),
    ("kiwis", "kiwi"),
    ("bus", "bus"),
    ("buses", "buse"),
    ("focus", "focus"),
    ("focuses", "focus"),
    ("pass", "pass"),
    ("passes", "pass"),
    ("ass", "ass"),
    ("classes", "class"),
    ("axes", "axe"),
    ("boxes", "box"),
    ("misses", "miss"),
  ]

  /// eed/eedly in R1; ed/edly/ing/ingly with at/bl/iz, undoubling and short words.
  static let step1b: [(word: String, stem: String)] = [
    ("agreed", "agre"),
    ("agreedly", "agre"),
    ("feed", "feed"),
    ("freed", "freed"),
    ("need", "need"),
    ("bleed", "bleed"),
    ("guaranteed", "guarante"),
    ("exceedingly", "exceed"),
    ("speeding", "speed"),
    ("speedily", "speedili"),
    ("luxuriating", "luxuri"),
    ("luxuriated", "luxuri"),
    ("hopping", "hop"),
    ("hopped", "hop"),
    ("hoped", "hope"),
    ("hoping", "hope"),
    ("filing", "file"),
    ("filed", "file"),
    ("conflated", "conflat"),
    ("troubled", "troubl"),
    ("sized", "size"),
    ("plastered", "plaster"),
    ("bled", "bled"),
    ("sing", "sing"),
    ("singing", "sing"),
    ("matting", "mat"),
    ("mating", "mate"),
    ("meeting", "meet"),
    ("milling", "mill"),
    ("messing", "mess"),
    ("meetings", "meet"),
    ("bedded", "bed"),
    ("added", "ad"),
    ("adding", "ad"),
    ("egged", "eg"),
    ("offed", "of"),
    ("tanned", "tan"),
    ("falling", "fall"),
    ("hissing", "hiss"),
    ("fizzed", "fizz"),
    ("failing", "fail"),
    ("tired", "tire"),
    ("heeding", "heed"),
    ("seeing", "see"),
    ("cringingly", "cring"),
    ("repeatedly", "repeat"),
    ("markedly", "mark"),
    ("sipped", "sip"),
    ("snowed", "snow"),
    ("boxed", "box"),
    ("fixing", "fix"),
    ("rowing", "row"),
    ("ringing", "ring"),
    ("shed", "shed"),
    ("shredded", "shred"),
    ("bead", "bead"),
    ("embed", "emb"),
    ("embedded", "embed"),
  ]

  /// Final y/Y to i after a non-vowel that is not the first letter.
  static let step1c: [(word: String, stem: String)] = [
    ("cry", "cri"),
    ("say", "say"),
    ("happy", "happi"),
    ("enjoy", "enjoy"),
    ("fly", "fli"),
    ("flies", "fli"),
    ("spy", "spi"),
    ("spying", "spi"),
    ("toy", "toy"),
    ("ay", "ay"),
    ("tidy", "tidi"),
    ("tidying", "tidi"),
    ("apply", "appli"),
    ("applying", "appli"),
    ("employ", "employ"),
    ("ready", "readi"),
    ("worry", "worri"),
  ]

  /// Derivational suffixes in R1 (including ogi after l, and li after a valid li-ending).
  static let step2: [(word: String, stem: String)] = [
    ("relational", "relat"),
    ("conditional", "condit"),
    ("rational", "ration"),
    ("valenci", "valenc"),
    ("hesitanci", "hesit"),
    ("digitizer", "digit"),
    ("conformabli", "conform"),
    ("radicalli", "radic"),
    ("differentli", "differ"),
    ("vileli", "vile"),
    ("analogousli", "analog"),
    ("vietnamization", "vietnam"),
    ("predication", "predic"),
    ("operator", "oper"),
    ("feudalism", "feudal"),
    ("decisiveness", "decis"),
    ("hopefulness", "hope"),
    ("callousness", "callous"),
    ("formaliti", "formal"),
    ("sensitiviti", "sensit"),
    ("sensibiliti", "sensibl"),
    ("archaeology", "archaeolog"),
    ("archaeologist", "archaeologist"),
    ("geology", "geolog"),
    ("analogies", "analog"),
    ("apologies", "apolog"),
    ("carefully", "care"),
    ("fully", "fulli"),
    ("hopelessly", "hopeless"),
    ("fluently", "fluentli"),
    ("nobly", "nobli"),
    ("humbly", "humbl"),
    ("cleverly", "clever"),
    ("quickly", "quick"),
    ("warmly", "warm"),
    ("badly", "bad"),
    ("gladly", "glad"),
    ("really", "realli"),
    ("outrageously", "outrag"),
    ("independently", "independ"),
  ]

  /// tional, ational, alize, icate/iciti/ical, ful, ness in R1; ative in R2.
  static let step3: [(word: String, stem: String)] = [
    ("triplicate", "triplic"),
    ("formative", "format"),
    ("formalize", "formal"),
    ("electriciti", "electr"),
    ("electrical", "electr"),
    ("hopeful", "hope"),
    ("goodness", "good"),
    ("generative", "generat"),
    ("rationalize", "ration"),
    ("sensational", "sensat"),
    ("traditional", "tradit"),
    ("authenticate", "authent"),
    ("duplicity", "duplic"),
    ("practical", "practic"),
    ("cheerful", "cheer"),
    ("thoughtfulness", "thought"),
    ("alternative", "altern"),
  ]

  /// Residual suffixes in R2; ion after s or t.
  static let step4: [(word: String, stem: String)] = [
    ("revival", "reviv"),
    ("allowance", "allow"),
    ("inference", "infer"),
    ("airliner", "airlin"),
    ("gyroscopic", "gyroscop"),
    ("adjustable", "adjust"),
    ("defensible", "defens"),
    ("irritant", "irrit"),
    ("replacement", "replac"),
    ("adjustment", "adjust"),
    ("dependent", "depend"),
    ("adoption", "adopt"),
    ("homologous", "homolog"),
    ("activate", "activ"),
    ("angulariti", "angular"),
    ("effective", "effect"),
    ("bowdlerize", "bowdler"),
    ("decision", "decis"),
    ("explosion", "explos"),
    ("question", "question"),
    ("fashion", "fashion"),
    ("station", "station"),
    ("ration", "ration"),
    ("cement", "cement"),
    ("element", "element"),
    ("agreement", "agreement"),
    ("abatement", "abat"),
    ("tolerance", "toler"),
  ]

  /// Final e (R2, or R1 unless after a short syllable) and ll in R2.
  static let step5: [(word: String, stem: String)] = [
    ("rate", "rate"),
    ("cease", "ceas"),
    ("controll", "control"),
    ("roll", "roll"),
    ("hope", "hope"),
    ("bile", "bile"),
    ("tale", "tale"),
    ("controlled", "control"),
    ("probate", "probat"),
    ("crate", "crate"),
    ("create", "creat"),
    ("debate", "debat"),
    ("estate", "estat"),
    ("orate", "orat"),
    ("bellow", "bellow"),
    ("spell", "spell"),
    ("programme", "programm"),
    ("rolling", "roll"),
    ("hopelessness", "hopeless"),
  ]

  /// Words from the Snowball English sample vocabulary (voc.txt), stems of the classic algorithm.
  static let vocabulary: [(word: String, stem: String)] = [
    ("abandon", "abandon"),
    ("abandoned", "abandon"),
    ("abandoning", "abandon"),
    ("abandonment", "abandon"),
    ("abandons", "abandon"),
    ("abase", "abas"),
    ("abasement", "abas"),
    ("abash", "abash"),
    ("abashed", "abash"),
    ("abate", "abat"),
    ("abated", "abat"),
    ("abatements", "abat"),
    ("abates", "abat"),
    ("abbess", "abbess"),
    ("abbey", "abbey"),
    ("abbeys", "abbey"),
    ("abbominable", "abbomin"),
    ("abbreviated", "abbrevi"),
    ("abbreviation", "abbrevi"),
    ("abdicate", "abdic"),
    ("abdication", "abdic"),
    ("abdominal", "abdomin"),
    ("abduction", "abduct"),
    ("aberration", "aberr"),
    ("abhorrence", "abhorr"),
    ("abide", "abid"),
    ("abides", "abid"),
    ("abiding", "abid"),
    ("abilities", "abil"),
    ("ability", "abil"),
    ("abjectly", "abject"),
    ("abjectness", "abject"),
    ("abjure", "abjur"),
    ("abjured", "abjur"),
    ("able", "abl"),
    ("abler", "abler"),
    ("ablest", "ablest"),
    ("ablutions", "ablut"),
    ("abnegation", "abneg"),
    ("abnormal", "abnorm"),
    ("abnormality", "abnorm"),
    ("abnormally", "abnorm"),
    ("aboard", "aboard"),
    ("abode", "abod"),
    ("abolish", "abolish"),
    ("abolished", "abolish"),
    ("abolishing", "abolish"),
    ("abolition", "abolit"),
    ("abominable", "abomin"),
    ("abominably", "abomin"),
    ("abominations", "abomin"),
    ("aboriginal", "aborigin"),
    ("aborigines", "aborigin"),
    ("abortion", "abort"),
    ("abortive", "abort"),
    ("abound", "abound"),
    ("abounded", "abound"),
    ("abounding", "abound"),
    ("about", "about"),
    ("above", "abov"),
    ("abreast", "abreast"),
    ("abridged", "abridg"),
    ("abridgment", "abridg"),
    ("abroad", "abroad"),
    ("abrogate", "abrog"),
    ("abrupt", "abrupt"),
    ("abruptly", "abrupt"),
    ("abruptness", "abrupt"),
    ("abscess", "abscess"),
    ("absence", "absenc"),
    ("absent", "absent"),
    ("absolute", "absolut"),
    ("absolutely", "absolut"),
    ("absolve", "absolv"),
    ("absorbed", "absorb"),
    ("absorbent", "absorb"),
    ("absorbing", "absorb"),
    ("absorption", "absorpt"),
    ("abstain", "abstain"),
    ("abstemious", "abstemi"),
    ("abstinence", "abstin"),
    ("abstract", "abstract"),
    ("abstracted", "abstract"),
    ("abstractedly", "abstract"),
    ("abstraction", "abstract"),
    ("absurdities", "absurd"),
    ("absurdity", "absurd"),
    ("absurdly", "absurd"),
    ("abundance", "abund"),
    ("abundant", "abund"),
    ("abundantly", "abund"),
    ("abuse", "abus"),
    ("abused", "abus"),
    ("abuser", "abus"),
    ("abuses", "abus"),
    ("abusing", "abus"),
    ("abusive", "abus"),
    ("abysses", "abyss"),
    ("academies", "academi"),
    ("academy", "academi"),
    ("accede", "acced"),
    ("accelerate", "acceler"),
    ("accent", "accent"),
    ("acceptable", "accept"),
    ("acceptance", "accept"),
    ("acceptation", "accept"),
    ("accepted", "accept"),
    ("accessible", "access"),
    ("accession", "access"),
    ("accessories", "accessori"),
    ("accessory", "accessori"),
    ("accidental", "accident"),
    ("accidentally", "accident"),
    ("accommodate", "accommod"),
    ("accommodated", "accommod"),
    ("accommodating", "accommod"),
    ("accommodations", "accommod"),
    ("accompanied", "accompani"),
    ("accompanies", "accompani"),
    ("accompaniment", "accompani"),
    ("accompany", "accompani"),
    ("accompanying", "accompani"),
    ("accomplished", "accomplish"),
    ("accomplishing", "accomplish"),
    ("accomplishments", "accomplish"),
    ("accordance", "accord"),
    ("accordingly", "accord"),
    ("accountability", "account"),
    ("accountable", "account"),
    ("accountant", "account"),
    ("accruing", "accru"),
    ("accumulate", "accumul"),
    ("accumulation", "accumul"),
    ("accuracy", "accuraci"),
    ("accurately", "accur"),
    ("accusation", "accus"),
    ("accusative", "accus"),
    ("accused", "accus"),
    ("accusers", "accus"),
    ("accustomed", "accustom"),
    ("aching", "ach"),
    ("acknowledgment", "acknowledg"),
    ("acquaintance", "acquaint"),
    ("acquaintanceship", "acquaintanceship"),
    ("acquiesce", "acquiesc"),
    ("acquiescence", "acquiesc"),
    ("acquisition", "acquisit"),
    ("acquittal", "acquitt"),
    ("acrimonious", "acrimoni"),
    ("acrimoniously", "acrimoni"),
    ("actively", "activ"),
    ("activity", "activ"),
    ("actresses", "actress"),
    ("actuality", "actual"),
    ("actually", "actual"),
    ("adaptability", "adapt"),
    ("adaptation", "adapt"),
    ("additional", "addit"),
    ("additionally", "addit"),
    ("addressed", "address"),
    ("adherence", "adher"),
    ("adjournment", "adjourn"),
    ("administration", "administr"),
    ("administrative", "administr"),
    ("admiringly", "admir"),
    ("admonishment", "admonish"),
    ("adoration", "ador"),
    ("adorations", "ador"),
    ("adventuresses", "adventuress"),
    ("adventurously", "adventur"),
    ("advertisement", "advertis"),
    ("advisability", "advis"),
    ("advisedly", "advis"),
    ("aesthetically", "aesthet"),
    ("affability", "affabl"),
    ("affectation", "affect"),
    ("affectionately", "affection"),
    ("afflictions", "afflict"),
    ("aggravations", "aggrav"),
    ("aggrandizement", "aggrandiz"),
    ("agonisingly", "agonis"),
    ("agreeable", "agreeabl"),
    ("agreeably", "agreeabl"),
    ("agricultural", "agricultur"),
    ("alarmingly", "alarm"),
    ("allegiance", "allegi"),
    ("allegorical", "allegor"),
    ("alternately", "altern"),
    ("alternatives", "altern"),
    ("amazedness", "amazed"),
    ("amiabilities", "amiabl"),
    ("amicability", "amic"),
    ("anatomical", "anatom"),
    ("anniversaries", "anniversari"),
    ("annihilation", "annihil"),
    ("announcements", "announc"),
    ("anticipative", "anticip"),
    ("anxieties", "anxieti"),
    ("apologetically", "apologet"),
    ("apparently", "appar"),
    ("appropriateness", "appropri"),
    ("approvingly", "approv"),
    ("archaeologically", "archaeolog"),
    ("consign", "consign"),
    ("consigned", "consign"),
    ("consigning", "consign"),
    ("consignment", "consign"),
    ("consist", "consist"),
    ("consisted", "consist"),
    ("consistency", "consist"),
    ("consistent", "consist"),
    ("consistently", "consist"),
    ("consisting", "consist"),
    ("consists", "consist"),
    ("consolation", "consol"),
    ("consolations", "consol"),
    ("consolatory", "consolatori"),
    ("console", "consol"),
    ("consoled", "consol"),
    ("consoles", "consol"),
    ("consolidate", "consolid"),
    ("consolidated", "consolid"),
    ("consolidating", "consolid"),
    ("consoling", "consol"),
    ("consolingly", "consol"),
    ("consols", "consol"),
    ("consonant", "conson"),
    ("consort", "consort"),
    ("consorted", "consort"),
    ("consorting", "consort"),
    ("conspicuous", "conspicu"),
    ("conspicuously", "conspicu"),
    ("conspiracy", "conspiraci"),
    ("conspirator", "conspir"),
    ("conspirators", "conspir"),
    ("conspire", "conspir"),
    ("conspired", "conspir"),
    ("conspiring", "conspir"),
    ("constable", "constabl"),
    ("constables", "constabl"),
    ("constance", "constanc"),
    ("constancy", "constanc"),
    ("constant", "constant"),
    ("knack", "knack"),
    ("knackeries", "knackeri"),
    ("knacks", "knack"),
    ("knag", "knag"),
    ("knave", "knave"),
    ("knaves", "knave"),
    ("knavish", "knavish"),
    ("kneaded", "knead"),
    ("kneading", "knead"),
    ("knee", "knee"),
    ("kneel", "kneel"),
    ("kneeled", "kneel"),
    ("kneeling", "kneel"),
    ("kneels", "kneel"),
    ("knees", "knee"),
    ("knell", "knell"),
    ("knelt", "knelt"),
    ("knew", "knew"),
    ("knick", "knick"),
    ("knif", "knif"),
    ("knife", "knife"),
    ("knight", "knight"),
    ("knighted", "knight"),
    ("knighthood", "knighthood"),
    ("knighthoods", "knighthood"),
    ("knightly", "knight"),
    ("knights", "knight"),
    ("knit", "knit"),
    ("knits", "knit"),
    ("knitted", "knit"),
    ("knitting", "knit"),
    ("knives", "knive"),
    ("knob", "knob"),
    ("knobs", "knob"),
    ("knock", "knock"),
    ("knocked", "knock"),
    ("knocker", "knocker"),
    ("knockers", "knocker"),
    ("knocking", "knock"),
    ("knocks", "knock"),
    ("knopp", "knopp"),
    ("knot", "knot"),
    ("knots", "knot"),
    ("knotted", "knot"),
    ("knotty", "knotti"),
    ("know", "know"),
    ("knowest", "knowest"),
    ("knowing", "know"),
    ("knowingly", "know"),
    ("knowledge", "knowledg"),
    ("known", "known"),
    ("knows", "know"),
  ]
}
