import Testing

@testable import FahrasText

@Suite("The seed article (seeds/000_52f18522089cecc5.txt)")
struct SeedArticleTests {
  private let text: String
  private let tokens: [Token]

  init() throws {
    text = try Support.seedArticle()
    tokens = Support.tokens(text)
  }

  /// The tokens whose original text is exactly `word`.
  private func occurrences(_ word: String) -> [Token] {
    tokens.filter { Support.byteSlice(text, $0) == word }
  }

  @Test("the article is tokenized")
  func sanity() {
    #expect(tokens.count > 350)
    #expect(tokens.contains { $0.isStopword })
    #expect(tokens.map(\.position) == Array(0..<tokens.count))
  }

  @Test("Arabic yeh and Persian yeh spellings of تعزيز give the same term")
  func yehVariants() {
    let arabic = occurrences("تعزيز")
    let persian = occurrences("تعزیز")
    #expect(arabic.count == 5)  // a sixth is inside وتعزيز
    #expect(persian.count == 1)
    #expect(Set((arabic + persian).map(\.term)) == ["تعزيز"])
    #expect(Set((arabic + persian).map(\.light)) == ["تعزيز"])
    #expect(occurrences("وتعزيز").map(\.term) == ["تعزيز"])
  }

  @Test("التعاون, والتعاون, بالتعاون and تعاون share a stem")
  func cooperationFamily() {
    let inArticle = occurrences("التعاون")
    #expect(inArticle.count == 7)
    let stem = inArticle.first?.term
    #expect(stem == "تعا")
    for word in ["والتعاون", "بالتعاون", "تعاون"] {
      #expect(Support.term(word) == stem, "\(word)")
    }
    #expect(Set(inArticle.map(\.light)) == ["تعاون"])
  }

  @Test("كوريا with and without harakat and tatweel agree")
  func korea() {
    let inArticle = occurrences("كوريا")
    #expect(inArticle.count == 6)  // plus لكوريا, وكوريا
    let term = inArticle.first?.term
    #expect(term == "كوريا")
    for variant in ["كُورِيَا", "كـوريـا", "كـــوريا", "كُوريَّا", "كوريا\u{0640}"] {
      #expect(Support.term(variant) == term, "\(variant)")
    }
  }

  @Test("harakat inside the article do not split words")
  func articleHarakat() {
    let delivered = occurrences("سلّمت")
    #expect(delivered.count == 1)
    #expect(delivered.first?.term == "سلمت")
    #expect(occurrences("سُلّمت").first?.term == "سلمت")
  }

  @Test("numbers: ranges split, Arabic-Indic digits give ASCII")
  func numbers() {
    #expect(occurrences("1950").count == 1)
    #expect(occurrences("1953").count == 1)
    #expect(occurrences("25").count == 1)
    #expect(occurrences("27").count == 1)
    #expect(occurrences("2023").first?.term == "2023")
    #expect(Support.term("٢٠٢٣") == "2023")
    // The same text with Arabic-Indic digits gives the same terms.
    let indic = text.replacingDigitsWithArabicIndic()
    #expect(Support.tokens(indic).map(\.term) == tokens.map(\.term))
  }

  @Test("mixed Arabic and English in the article route separately")
  func englishInArticle() {
    let rt = occurrences("RT")
    #expect(rt.first?.term == "rt")
    let arabic = occurrences("Arabic")
    #expect(arabic.first?.light == "arabic")
    #expect(arabic.first?.term == Support.porter2("arabic"))
  }

  @Test("every token slices the original, and re-analyzing the slice gives the token back")
  func offsets() {
    for token in tokens {
      let slice = Support.byteSlice(text, token)
      #expect(!slice.isEmpty)
      #expect(slice == Support.scalarSlice(text, token))
      let again = Support.tokens(slice)
      #expect(again.count == 1, "\(slice)")
      #expect(again.first?.term == token.term, "\(slice)")
      #expect(again.first?.light == token.light, "\(slice)")
      #expect(again.first?.isStopword == token.isStopword, "\(slice)")
    }
  }

  @Test("stopwords in the article include على and في; content forms are kept")
  func stopwords() {
    #expect(occurrences("في").allSatisfy { $0.isStopword })
    #expect(occurrences("على").allSatisfy { $0.isStopword })
    #expect(occurrences("بين").allSatisfy { !$0.isStopword })
    #expect(occurrences("بعد").allSatisfy { !$0.isStopword })
  }
}

extension String {
  fileprivate func replacingDigitsWithArabicIndic() -> String {
    var view = String.UnicodeScalarView()
    for scalar in unicodeScalars {
      if scalar.value >= 0x30 && scalar.value <= 0x39 {
        view.append(Unicode.Scalar(scalar.value - 0x30 + 0x0660)!)
      } else {
        view.append(scalar)
      }
    }
    return String(view)
  }
}
