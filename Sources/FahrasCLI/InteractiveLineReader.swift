#if canImport(Glibc)
  import Glibc
#endif

/// How a call to `InteractiveLineReader.readLine()` ended.
public enum LineReadResult: Equatable, Sendable {
  /// The user pressed Enter (the text excludes the line ending).
  case line(String)
  /// Ctrl-C: the line was cancelled.
  case interrupted
  /// Ctrl-D on an empty line, or the input ended.
  case endOfInput
}

/// Reads lines for `fahras repl` with editing, history and Arabic-aware cursor movement.
///
/// When standard input and the output (standard output, or standard error if only that is a
/// terminal) are terminals, each `readLine()` switches to raw mode (see `TerminalMode`),
/// feeds bytes from fd 0 through `KeyDecoder` into `LineEditor`, and redraws the line after
/// each batch of keys with `LineRenderer`. Raw mode is on only while a line is being read.
/// Otherwise (piped input) it reads plain LF-terminated lines without a prompt, so
/// `printf 'query\n' | fahras repl` works.
///
/// Keys typed or pasted after Enter are kept for the next `readLine()`.
///
/// Right-to-left text: the line is drawn in logical order and the cursor is placed by
/// counting display widths (harakat and other combining marks are zero-width, CJK is
/// double-width), so Left/Right step through the text in logical order. Terminals that
/// reorder RTL text on their own may show the cursor elsewhere than that arithmetic
/// assumes; most terminals draw Arabic left to right in logical order, which is correct here.
public final class InteractiveLineReader {
  /// The prompt drawn before the line; ANSI colour sequences are allowed.
  public let prompt: String
  /// The history file (tilde-expanded), or nil for no persistence.
  public let historyPath: String?

  private let inputFD: Int32
  private let outputFD: Int32
  private let interactive: Bool
  private let terminal: TerminalMode
  private var editor: LineEditor
  private var decoder = KeyDecoder()
  private var renderer = LineRenderer()
  private var pending: [TerminalKey] = []
  private var pendingIndex = 0
  private var columns = 80
  private var lastDrawn: String? = nil
  private var plainBuffer: [UInt8] = []
  private var plainEOF = false

  /// How long a lone ESC waits for the rest of an escape sequence.
  private static let escapeTimeoutMilliseconds: Int32 = 50

  /// A reader on standard input. `historyPath` (`~` is expanded) is loaded now and appended
  /// to by `addToHistory(_:)`; nil keeps history in memory only. A missing or unreadable
  /// history file is not an error.
  public convenience init(prompt: String, historyPath: String?) {
    let output: Int32 =
      TerminalMode.isTerminal(1) ? 1 : TerminalMode.isTerminal(2) ? 2 : 1
    self.init(prompt: prompt, historyPath: historyPath, inputFD: 0, outputFD: output)
  }

  /// A reader on explicit file descriptors (for tests on a pseudo-terminal, or `/dev/tty`).
  public init(prompt: String, historyPath: String?, inputFD: Int32, outputFD: Int32) {
    self.prompt = prompt
    self.inputFD = inputFD
    self.outputFD = outputFD
    self.interactive = TerminalMode.isTerminal(inputFD) && TerminalMode.isTerminal(outputFD)
    self.terminal = TerminalMode(fd: inputFD)
    var history = LineHistory()
    if let historyPath {
      let path = LineHistory.expandingTilde(historyPath)
      self.historyPath = path
      let lines = history.load(from: path)
      if lines > history.capacity + history.capacity / 4 {
        // The file only grows by appends; trim it now and then.
        try? history.save(to: path)
      }
    } else {
      self.historyPath = nil
    }
    self.editor = LineEditor(history: history)
  }

  /// The in-memory history, oldest first.
  public var history: [String] { editor.history.entries }

  /// Adds `line` to the history (blank lines and repeats of the last entry are skipped) and
  /// appends it to the history file. A failing write is ignored: history is a convenience.
  public func addToHistory(_ line: String) {
    guard editor.history.add(line), let historyPath else { return }
    try? LineHistory.append(line, to: historyPath)
  }

  /// Reads one line. Blocks until Enter, Ctrl-C, Ctrl-D on an empty line, or end of input.
  public func readLine() -> LineReadResult {
    guard interactive else { return readPlainLine() }
    fflush(nil)  // let earlier print() output out before drawing
    editor.reset()
    renderer.reset()
    lastDrawn = nil
    do {
      try terminal.enter()
    } catch {
      return readPlainLine()
    }
    defer { terminal.restore() }
    columns = TerminalMode.columns(fd: outputFD)
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      while pendingIndex < pending.count {
        let key = pending[pendingIndex]
        pendingIndex += 1
        if let result = apply(key) { return result }
      }
      pending.removeAll(keepingCapacity: true)
      pendingIndex = 0
      handleSignalEvents()
      draw(cursor: editor.cursor)

      let count = buffer.withUnsafeMutableBytes { read(inputFD, $0.baseAddress!, $0.count) }
      if count < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        return finish(.endOfInput)
      }
      if count == 0 {
        // The terminal hung up: accept what was typed, then report the end.
        return finish(editor.scalars.isEmpty ? .endOfInput : .line(editor.text))
      }
      pending = decoder.feed(buffer[0..<count])
      if decoder.hasPendingEscape && !inputArrives(within: Self.escapeTimeoutMilliseconds) {
        pending += decoder.flushPendingEscape()
      }
    }
  }

  // MARK: - Interactive helpers

  /// Applies one key; a non-nil result ends the line.
  private func apply(_ key: TerminalKey) -> LineReadResult? {
    switch editor.handle(key) {
    case .editing:
      return nil
    case .clearScreen:
      output("\u{1B}[H\u{1B}[2J")
      lastDrawn = nil
      return nil
    case .suspend:
      draw(cursor: editor.scalars.count)
      output("\r\n")
      terminal.suspend()
      handleSignalEvents()
      lastDrawn = nil
      return nil
    case .finished(let result):
      return finish(result)
    }
  }

  /// Leaves the cursor on a fresh line after the edited one.
  private func finish(_ result: LineReadResult) -> LineReadResult {
    draw(cursor: editor.scalars.count)
    output(result == .interrupted ? "^C\r\n" : "\r\n")
    return result
  }

  private func handleSignalEvents() {
    let events = terminal.takeEvents()
    if events.contains(.rawModeLost) { try? terminal.enter() }
    if events.contains(.resized) { columns = TerminalMode.columns(fd: outputFD) }
    if !events.isEmpty { lastDrawn = nil }
  }

  private func draw(cursor: Int) {
    let frame = renderer.render(
      prompt: prompt, scalars: editor.scalars, cursor: cursor, columns: columns)
    guard frame != lastDrawn else { return }
    lastDrawn = frame
    output(frame)
  }

  private func inputArrives(within milliseconds: Int32) -> Bool {
    var descriptor = pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0)
    while true {
      let ready = poll(&descriptor, 1, milliseconds)
      if ready < 0 && errno == EINTR { continue }
      return ready > 0
    }
  }

  private func output(_ text: String) {
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { raw in
      var written = 0
      while written < raw.count {
        let n = write(outputFD, raw.baseAddress! + written, raw.count - written)
        if n < 0 {
          if errno == EINTR || errno == EAGAIN { continue }
          return
        }
        written += n
      }
    }
  }

  // MARK: - Piped input

  /// Reads an LF-terminated line (a trailing CR is dropped); invalid UTF-8 is repaired.
  private func readPlainLine() -> LineReadResult {
    var chunk = [UInt8](repeating: 0, count: 4096)
    var searchFrom = 0
    while true {
      if let newline = plainBuffer[searchFrom...].firstIndex(of: 0x0A) {
        var line = plainBuffer[..<newline]
        if line.last == 0x0D { line = line.dropLast() }
        let text = String(decoding: line, as: UTF8.self)
        plainBuffer.removeSubrange(...newline)
        return .line(text)
      }
      searchFrom = plainBuffer.count
      if plainEOF {
        guard !plainBuffer.isEmpty else { return .endOfInput }
        let text = String(decoding: plainBuffer, as: UTF8.self)
        plainBuffer.removeAll()
        return .line(text)
      }
      let count = chunk.withUnsafeMutableBytes { read(inputFD, $0.baseAddress!, $0.count) }
      if count < 0 && errno == EINTR { continue }
      if count <= 0 {
        plainEOF = true
      } else {
        plainBuffer.append(contentsOf: chunk[0..<count])
      }
    }
  }
}

/// Draws the edited line on one terminal row. Pure: returns the bytes to write.
///
/// A frame is `\r`, the prompt, the visible text, `ESC [ K` (clear to end of line), then
/// `ESC [ n D` to move the cursor left by the display width of the visible text after the
/// cursor. Widths come from `TextUnits.width`, so Arabic harakat (zero-width) and CJK
/// (double-width) place the cursor correctly; the cursor moves in logical order.
///
/// Long lines scroll horizontally: when prompt and text do not fit in `columns - 1` (the
/// last column is left free to avoid auto-wrap), only a window of whole units around the
/// cursor is drawn. The window moves just enough to keep the cursor's unit visible and
/// fills from the end when the tail fits. No markers show that text is hidden. A prompt too
/// wide for the terminal is not drawn. A terminal narrowed while editing may leave the
/// earlier, wrapped frame on screen until the next Ctrl-L.
public struct LineRenderer: Sendable {
  /// Offset of the first visible scalar when scrolled.
  public private(set) var viewStart = 0

  public init() {}

  /// Scrolls back to the start (for a new line).
  public mutating func reset() { viewStart = 0 }

  /// Returns the frame for `scalars` with the cursor at `cursor` on a terminal `columns` wide.
  /// - Complexity: O(n²) in the line length at worst when scrolled; lines are short.
  public mutating func render(
    prompt: String, scalars: [Unicode.Scalar], cursor: Int, columns: Int
  ) -> String {
    let cursor = min(max(cursor, 0), scalars.count)
    let promptWidth = TextUnits.visibleWidth(prompt)
    let showPrompt = promptWidth + 2 <= columns
    let available = max(1, columns - 1 - (showPrompt ? promptWidth : 0))
    let count = scalars.count
    var start = 0
    var end = count
    if TextUnits.width(scalars, 0..<count) > available {
      start = min(viewStart, cursor)
      while start > 0 && !TextUnits.isBoundary(scalars, start) { start -= 1 }
      // Keep the cursor and the unit under it in view.
      let cursorUnitEnd = TextUnits.nextBoundary(scalars, after: cursor)
      while start < cursor && TextUnits.width(scalars, start..<cursorUnitEnd) > available {
        start = TextUnits.nextBoundary(scalars, after: start)
      }
      // Use free room on the right to show more on the left.
      while start > 0 {
        let previous = TextUnits.previousBoundary(scalars, before: start)
        guard TextUnits.width(scalars, previous..<count) <= available else { break }
        start = previous
      }
      end = start
      var used = 0
      while end < count {
        let next = TextUnits.nextBoundary(scalars, after: end)
        let width = TextUnits.width(scalars, end..<next)
        if used + width > available { break }
        used += width
        end = next
      }
    }
    viewStart = start
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[start..<end])
    var frame = "\r"
    if showPrompt { frame += prompt }
    frame += String(view)
    frame += "\u{1B}[K"
    let after = cursor < end ? TextUnits.width(scalars, cursor..<end) : 0
    if after > 0 { frame += "\u{1B}[\(after)D" }
    return frame
  }
}
