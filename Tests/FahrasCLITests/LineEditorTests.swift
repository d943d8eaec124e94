import Dispatch
import FahrasCLI
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `editor.handle(key)`, spelled as a free function so `#expect` can evaluate it.
private func press(_ editor: inout LineEditor, _ key: TerminalKey) -> LineEditorOutcome {
  editor.handle(key)
}

private func typing(_ text: String) -> [TerminalKey] { text.unicodeScalars.map { .character($0) } }

/// An editor after `keys`, expecting none of them to finish the line.
private func edited(_ keys: [TerminalKey], history: [String] = []) -> LineEditor {
  var editor = LineEditor(history: LineHistory(entries: history))
  let (outcome, consumed) = editor.handle(keys)
  #expect(outcome == .editing)
  #expect(consumed == keys.count)
  return editor
}

/// Harakat-bearing sample: كَتَبَ is three units of two scalars each.
private let kataba = "كَتَبَ"

@Suite("LineEditor")
struct LineEditorTests {
  @Test("typing Arabic with harakat, then moving left and right by whole units")
  func arabicUnits() {
    var editor = edited(typing(kataba))
    #expect(editor.text == kataba)
    #expect(editor.scalars.count == 6)
    #expect(editor.cursor == 6)
    var positions: [Int] = []
    for _ in 0..<4 {
      editor.handle(.left)
      positions.append(editor.cursor)
    }
    #expect(positions == [4, 2, 0, 0])
    editor.handle(.right)
    #expect(editor.cursor == 2)
    editor.handle(.ctrl("f"))
    #expect(editor.cursor == 4)
    editor.handle(.ctrl("b"))
    #expect(editor.cursor == 2)
    // Stacked marks (shadda + fatha) and superscript alef stay with their letter.
    var stacked = edited(typing("رَبِّ هٰذا"))
    stacked.handle(.home)
    stacked.handle(.right)
    #expect(stacked.cursor == 2)
    stacked.handle(.right)
    #expect(stacked.cursor == 5)
    for _ in 0..<2 { stacked.handle(.right) }
    #expect(stacked.cursor == 8)  // after هٰ
  }

  @Test("Backspace removes a letter with its marks; Delete removes the unit under the cursor")
  func deletingUnits() {
    var editor = edited(typing(kataba))
    editor.handle(.backspace)
    #expect(editor.text == "كَتَ")
    editor.handle(.home)
    editor.handle(.delete)
    #expect(editor.text == "تَ")
    #expect(editor.cursor == 0)
    editor.handle(.backspace)  // at the start: nothing
    #expect(editor.text == "تَ")
    var latin = edited(typing("e\u{301}x"))  // e + combining acute
    latin.handle(.left)
    latin.handle(.backspace)
    #expect(latin.text == "x")
  }

  @Test("harakat typed after moving attach to the letter before the cursor")
  func marksAttach() {
    var editor = edited(typing("كتب"))
    editor.handle(.left)
    editor.handle(.left)
    editor.handle(.character("\u{64E}"))
    #expect(editor.text == "كَتب")
    #expect(editor.cursor == 2)
    editor.handle(.left)
    #expect(editor.cursor == 0)
    // A letter typed in front of orphan marks absorbs them; the cursor stays on a boundary.
    var orphan = edited(typing("\u{64E}"))
    orphan.handle(.home)
    orphan.handle(.character("ب"))
    #expect(orphan.text == "بَ")
    #expect(orphan.cursor == 2)
  }

  @Test("word jumps over mixed Arabic and Latin text")
  func wordJumps() {
    let text = "بَحْث fahras، في النُّصوص_2"
    var editor = edited(typing(text))
    let scalars = Array(text.unicodeScalars)
    func offset(of word: String) -> Int {
      let target = Array(word.unicodeScalars)
      for i in 0...(scalars.count - target.count)
      where Array(scalars[i..<i + target.count]) == target {
        return i
      }
      return -1
    }
    var stops: [Int] = []
    for key in [TerminalKey.alt("b"), .wordLeft, .alt("b"), .wordLeft, .wordLeft] {
      editor.handle(key)
      stops.append(editor.cursor)
    }
    #expect(stops == [offset(of: "النُّ"), offset(of: "في"), offset(of: "fahras"), 0, 0])
    stops = []
    for key in [TerminalKey.alt("f"), .wordRight, .alt("f"), .wordRight, .wordRight] {
      editor.handle(key)
      stops.append(editor.cursor)
    }
    #expect(
      stops == [
        offset(of: " fahras"), offset(of: "، في"), offset(of: " النُّ"), scalars.count,
        scalars.count,
      ])
  }

  @Test("Home/End and Ctrl-A/Ctrl-E")
  func homeEnd() {
    var editor = edited(typing("abc"))
    editor.handle(.home)
    #expect(editor.cursor == 0)
    editor.handle(.end)
    #expect(editor.cursor == 3)
    editor.handle(.ctrl("a"))
    #expect(editor.cursor == 0)
    editor.handle(.character("x"))
    #expect(editor.text == "xabc")
    editor.handle(.ctrl("e"))
    #expect(editor.cursor == 4)
  }

  @Test("Ctrl-K, Ctrl-U, Ctrl-W, Alt-D, Alt-Backspace and Ctrl-Y")
  func killCommands() {
    var editor = edited(typing("بحث عن كتاب"))
    for _ in 0..<4 { editor.handle(.left) }
    editor.handle(.ctrl("k"))
    #expect(editor.text == "بحث عن ")
    #expect(editor.killBuffer == Array("كتاب".unicodeScalars))
    editor.handle(.ctrl("u"))
    #expect(editor.text == "")
    editor.handle(.ctrl("y"))
    #expect(editor.text == "بحث عن ")
    #expect(editor.cursor == editor.scalars.count)

    var words = edited(typing("title:foo bar  "))
    words.handle(.ctrl("w"))
    #expect(words.text == "title:foo ")
    words.handle(.ctrl("w"))
    #expect(words.text == "")
    var fields = edited(typing("title:foo"))
    fields.handle(.alt("\u{7F}"))
    #expect(fields.text == "title:")
    fields.handle(.home)
    fields.handle(.alt("d"))
    #expect(fields.text == ":")

    var middle = edited(typing("abc def"))
    for _ in 0..<2 { middle.handle(.left) }
    middle.handle(.ctrl("u"))
    #expect(middle.text == "ef")
    #expect(middle.cursor == 0)
  }

  @Test("history Up/Down restores the line being edited")
  func historyNavigation() {
    var editor = edited(typing("draft"), history: ["one", "two"])
    editor.handle(.up)
    #expect(editor.text == "two")
    #expect(editor.cursor == 3)
    editor.handle(.ctrl("p"))
    #expect(editor.text == "one")
    editor.handle(.up)
    #expect(editor.text == "one")
    editor.handle(.character("!"))
    editor.handle(.down)
    #expect(editor.text == "two")
    editor.handle(.up)
    #expect(editor.text == "one!")
    editor.handle(.ctrl("n"))
    editor.handle(.down)
    #expect(editor.text == "draft")
    editor.handle(.down)
    #expect(editor.text == "draft")
    editor.handle(.up)
    editor.handle(.up)
    #expect(press(&editor, .enter) == .finished(.line("one!")))
    #expect(editor.history.entries == ["one", "two"])
    editor.reset()
    #expect(editor.text == "")
    editor.handle(.up)
    editor.handle(.up)
    #expect(editor.text == "one")
  }

  @Test("Enter accepts, Ctrl-C cancels, Ctrl-D ends input only on an empty line")
  func finishing() {
    var editor = edited(typing("سؤال"))
    #expect(press(&editor, .enter) == .finished(.line("سؤال")))
    #expect(press(&editor, .ctrl("c")) == .finished(.interrupted))
    editor.reset()
    #expect(press(&editor, .enter) == .finished(.line("")))
    #expect(press(&editor, .ctrl("c")) == .finished(.interrupted))
    #expect(press(&editor, .ctrl("d")) == .finished(.endOfInput))

    var deleting = edited(typing("ab"))
    #expect(press(&deleting, .ctrl("d")) == .editing)  // at the end: nothing to delete
    #expect(deleting.text == "ab")
    deleting.handle(.home)
    #expect(press(&deleting, .ctrl("d")) == .editing)
    #expect(deleting.text == "b")
    deleting.handle(.ctrl("d"))
    #expect(deleting.text == "")
    #expect(press(&deleting, .ctrl("d")) == .finished(.endOfInput))

    var batch = LineEditor()
    let (outcome, consumed) = batch.handle(typing("ab") + [.enter] + typing("cd"))
    #expect(outcome == .finished(.line("ab")))
    #expect(consumed == 3)
  }

  @Test("Ctrl-L clears the screen, Ctrl-Z suspends, other keys are inert")
  func otherKeys() {
    var editor = edited(typing("x"))
    #expect(press(&editor, .ctrl("l")) == .clearScreen)
    #expect(press(&editor, .ctrl("z")) == .suspend)
    for key in [TerminalKey.escape, .insert, .pageUp, .pageDown, .unknown, .ctrl("q"), .alt("z")] {
      #expect(press(&editor, key) == .editing)
    }
    editor.handle(.tab)
    editor.handle(.character("\u{85}"))  // C1 control: ignored
    editor.handle(.character("\u{200C}"))  // ZWNJ is text
    #expect(editor.text == "x \u{200C}")
  }

  @Test("random key scripts keep the cursor on a unit boundary", arguments: [11, 12])
  func randomScripts(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let keys: [TerminalKey] = [
      .character("ك"), .character("\u{64E}"), .character("\u{651}"), .character("a"),
      .character(" "), .character("日"), .left, .right, .home, .end, .wordLeft, .wordRight,
      .backspace, .delete, .ctrl("k"), .ctrl("u"), .ctrl("w"), .ctrl("y"), .alt("d"),
      .alt("\u{7F}"), .up, .down, .ctrl("d"),
    ]
    var editor = LineEditor(history: LineHistory(entries: ["\u{64E}ab", "كَ لا"]))
    for _ in 0..<3000 {
      let key = keys.randomElement(using: &rng)!
      if case .finished = editor.handle(key) { editor.reset() }
      #expect(editor.cursor >= 0 && editor.cursor <= editor.scalars.count)
      #expect(TextUnits.isBoundary(editor.scalars, editor.cursor))
    }
  }
}

@Suite("LineRenderer and TextUnits")
struct LineRendererTests {
  @Test("display widths: marks 0, CJK 2, others 1")
  func widths() {
    #expect(TextUnits.width("a") == 1)
    #expect(TextUnits.width("ك") == 1)
    #expect(TextUnits.width("\u{64E}") == 0)
    #expect(TextUnits.width("\u{670}") == 0)
    #expect(TextUnits.width("\u{301}") == 0)
    #expect(TextUnits.width("\u{200D}") == 0)
    #expect(TextUnits.width("日") == 2)
    #expect(TextUnits.width("한") == 2)
    #expect(TextUnits.width("Ａ") == 2)
    #expect(TextUnits.width("😀") == 2)
    #expect(TextUnits.visibleWidth("\u{1B}[1;32mفهرس\u{1B}[0m> ") == 6)
  }

  @Test("the cursor is placed by display width; harakat are zero-width")
  func arabicCursor() {
    var renderer = LineRenderer()
    let scalars = Array(kataba.unicodeScalars)
    #expect(
      renderer.render(prompt: "> ", scalars: scalars, cursor: 6, columns: 80)
        == "\r> \(kataba)\u{1B}[K")
    #expect(
      renderer.render(prompt: "> ", scalars: scalars, cursor: 2, columns: 80)
        == "\r> \(kataba)\u{1B}[K\u{1B}[2D")
    #expect(
      renderer.render(prompt: "> ", scalars: scalars, cursor: 0, columns: 80)
        == "\r> \(kataba)\u{1B}[K\u{1B}[3D")
    let cjk = Array("日本a".unicodeScalars)
    #expect(
      renderer.render(prompt: "", scalars: cjk, cursor: 0, columns: 80)
        == "\r日本a\u{1B}[K\u{1B}[5D")
  }

  @Test("long lines scroll horizontally around the cursor")
  func scrolling() {
    var renderer = LineRenderer()
    let text = Array("abcdefghijklmnop".unicodeScalars)
    // 10 columns, prompt 2, one spare column: 7 columns of text.
    #expect(
      renderer.render(prompt: "> ", scalars: text, cursor: 16, columns: 10)
        == "\r> jklmnop\u{1B}[K")
    #expect(
      renderer.render(prompt: "> ", scalars: text, cursor: 12, columns: 10)
        == "\r> jklmnop\u{1B}[K\u{1B}[4D")
    #expect(
      renderer.render(prompt: "> ", scalars: text, cursor: 0, columns: 10)
        == "\r> abcdefg\u{1B}[K\u{1B}[7D")
    #expect(
      renderer.render(prompt: "> ", scalars: text, cursor: 3, columns: 10)
        == "\r> abcdefg\u{1B}[K\u{1B}[4D")
    #expect(
      renderer.render(prompt: "> ", scalars: text, cursor: 9, columns: 10)
        == "\r> defghij\u{1B}[K\u{1B}[1D")
    // Shrinking text fills the window from the end again.
    #expect(
      renderer.render(prompt: "> ", scalars: Array(text[..<9]), cursor: 9, columns: 10)
        == "\r> cdefghi\u{1B}[K")
    // Scrolling never splits a letter from its harakat.
    let arabic = Array(String(repeating: kataba, count: 3).unicodeScalars)
    #expect(
      renderer.render(prompt: "", scalars: arabic, cursor: 18, columns: 6)
        == "\rتَبَ\(kataba)\u{1B}[K")
    // A prompt wider than the terminal is dropped.
    #expect(
      renderer.render(
        prompt: "long prompt> ", scalars: Array("ab".unicodeScalars), cursor: 2, columns: 8)
        == "\rab\u{1B}[K")
  }
}

// MARK: - End to end on a pseudo-terminal

/// A pseudo-terminal pair; the reader works on `slave`, the test types into `master`.
private struct PseudoTerminal {
  let master: Int32
  let slave: Int32

  init?() {
    // posix_openpt and friends need _XOPEN_SOURCE, so Glibc does not export them; look them
    // up at run time instead.
    typealias IntFunction = @convention(c) (Int32) -> Int32
    typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
    guard let libc = dlopen(nil, RTLD_NOW),
      let openSymbol = dlsym(libc, "posix_openpt"), let grantSymbol = dlsym(libc, "grantpt"),
      let unlockSymbol = dlsym(libc, "unlockpt"), let nameSymbol = dlsym(libc, "ptsname")
    else { return nil }
    let openPT = unsafeBitCast(openSymbol, to: IntFunction.self)
    let grantPT = unsafeBitCast(grantSymbol, to: IntFunction.self)
    let unlockPT = unsafeBitCast(unlockSymbol, to: IntFunction.self)
    let ptsName = unsafeBitCast(nameSymbol, to: NameFunction.self)
    let master = openPT(O_RDWR | O_NOCTTY)
    guard master >= 0 else { return nil }
    guard grantPT(master) == 0, unlockPT(master) == 0, let name = ptsName(master) else {
      Glibc.close(master)
      return nil
    }
    let slave = open(name, O_RDWR | O_NOCTTY)
    guard slave >= 0 else {
      Glibc.close(master)
      return nil
    }
    self.master = master
    self.slave = slave
    var size = winsize(ws_row: 24, ws_col: 40, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
    // Non-canonical, no echo and no CR mapping already, so bytes typed while the reader is
    // between lines are not cooked by the line discipline (that would happen to a user's
    // type-ahead too). BRKINT and IXON stay on so the test can see the reader restore them.
    var settings = termios()
    tcgetattr(slave, &settings)
    settings.c_lflag &= ~tcflag_t(ICANON | ISIG | IEXTEN | ECHO)
    settings.c_iflag &= ~tcflag_t(ICRNL | INLCR | IGNCR)
    settings.c_iflag |= tcflag_t(BRKINT | IXON)
    tcsetattr(slave, TCSANOW, &settings)
    _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
  }

  func type(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
  }

  /// Everything the reader drew since the last call.
  func drain() -> String {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Input, output and local mode flags.
  func flags() -> [tcflag_t] {
    var settings = termios()
    tcgetattr(slave, &settings)
    return [settings.c_iflag, settings.c_oflag, settings.c_lflag]
  }

  func close() {
    Glibc.close(slave)
    Glibc.close(master)
  }
}

@Suite("InteractiveLineReader on a pseudo-terminal", .serialized)
struct InteractiveLineReaderTests {
  @Test("typed keys become lines; the terminal is restored after each line")
  func endToEnd() throws {
    guard let pty = PseudoTerminal() else { return }  // no ptys in this sandbox
    defer { pty.close() }
    let before = pty.flags()
    let reader = InteractiveLineReader(
      prompt: "فهرس> ", historyPath: nil, inputFD: pty.slave, outputFD: pty.slave)

    pty.type("سلام\u{1B}[Dx\r")
    #expect(reader.readLine() == .line("سلاxم"))
    #expect(pty.flags() == before)
    let drawn = pty.drain()
    #expect(drawn.contains("\rفهرس> سلاxم\u{1B}[K"))
    #expect(drawn.unicodeScalars.last == "\n")

    // Two lines pasted at once: the second is kept for the next call.
    pty.type("كَتَبَ\u{7F}\r\nsecond\r")
    #expect(reader.readLine() == .line("كَتَ"))
    #expect(reader.readLine() == .line("second"))

    reader.addToHistory("earlier query")
    pty.type("draft\u{1B}OA\r")
    #expect(reader.readLine() == .line("earlier query"))

    pty.type("abc\u{1B}[1;5D\u{0B}x\u{3}")
    #expect(reader.readLine() == .interrupted)
    #expect(pty.drain().contains("^C\r"))

    pty.type("\u{4}")
    #expect(reader.readLine() == .endOfInput)

    // A lone ESC is flushed after the timeout and ignored.
    pty.type("\u{1B}")
    let master = pty.master
    DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) {
      _ = Array("ok\r".utf8).withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }
    #expect(reader.readLine() == .line("ok"))
    #expect(pty.flags() == before)
  }
}
