#if canImport(Glibc)
  import Glibc
#endif

/// A terminal could not be switched to raw mode.
public enum TerminalModeError: Error, Equatable, Sendable {
  /// The file descriptor is not a terminal.
  case notATerminal(fd: Int32)
  /// `tcgetattr`/`tcsetattr` failed with `errno`.
  case system(operation: String, errno: Int32)
}

/// Raw mode for a terminal, with the saved settings restored no matter how the process
/// leaves raw mode.
///
/// Raw mode here is "cbreak without signals": no echo, no line buffering, no `ISIG` (Ctrl-C
/// and Ctrl-Z arrive as bytes), no `IXON` (Ctrl-S/Ctrl-Q arrive as bytes), no CR→NL mapping,
/// `VMIN 1 VTIME 0`. Output processing (`OPOST`) is left on, so stray `\n` still returns
/// the carriage.
///
/// Restoring is guaranteed
/// - on normal return and on thrown errors: use `withRawMode(_:)` (or pair
///   `enter()`/`restore()` with `defer`);
/// - on `exit()`: an `atexit` hook restores the settings if raw mode is still on;
/// - on SIGINT, SIGTERM, SIGHUP, SIGQUIT: while raw, a handler restores the settings,
///   reinstalls the previous disposition and re-raises the signal (so default actions and
///   the caller's own handlers still run). If the process survives, `takeEvents()` reports
///   `.rawModeLost` and the reader enters raw mode again;
/// - on SIGTSTP (Ctrl-Z from `suspend()`, or `kill -TSTP`): the settings are restored and the
///   process stops; on SIGCONT raw mode is re-entered and `takeEvents()` reports `.resumed`
///   so the line can be redrawn.
/// SIGWINCH is also caught while raw and reported as `.resized`.
/// Signals whose disposition was SIG_IGN (e.g. under `nohup`) are left ignored.
///
/// The handlers are installed only while raw mode is on; the previous dispositions come back
/// with `restore()`. Signal-handler state lives in manually allocated memory (no Swift
/// exclusivity checks, no lazy globals touched for the first time inside a handler).
/// Only one `TerminalMode` may be raw at a time.
public final class TerminalMode {
  /// Events noticed by the signal handlers since the last `takeEvents()`.
  public struct Events: OptionSet, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// The window size changed (SIGWINCH).
    public static let resized = Events(rawValue: 1)
    /// The process was stopped and continued; raw mode was re-entered.
    public static let resumed = Events(rawValue: 2)
    /// A terminating signal restored the terminal but the process survived it.
    public static let rawModeLost = Events(rawValue: 4)
  }

  /// The terminal's file descriptor.
  public let fd: Int32
  /// True between `enter()` and `restore()`.
  public private(set) var isRaw = false

  /// Prepares raw mode for `fd`; nothing changes until `enter()`.
  public init(fd: Int32 = 0) {
    self.fd = fd
  }

  /// True when `fd` is a terminal.
  public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// The width of the terminal on `fd` in columns: `TIOCGWINSZ`, else `$COLUMNS`, else 80.
  public static func columns(fd: Int32 = 1) -> Int {
    var size = winsize()
    if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
    if let env = getenv("COLUMNS"), let value = Int(String(cString: env)), value > 0 {
      return value
    }
    return 80
  }

  /// Runs `body` in raw mode and restores the terminal afterwards, also when `body` throws.
  public func withRawMode<T>(_ body: () throws -> T) throws -> T {
    try enter()
    defer { restore() }
    return try body()
  }

  /// Saves the current settings, switches to raw mode and installs the signal handlers.
  /// Calling it while raw re-applies raw mode (used after `.rawModeLost`).
  public func enter() throws(TerminalModeError) {
    guard Self.isTerminal(fd) else { throw .notATerminal(fd: fd) }
    let state = SignalState.shared
    if !isRaw {
      var saved = termios()
      guard tcgetattr(fd, &saved) == 0 else {
        throw .system(operation: "tcgetattr", errno: errno)
      }
      var raw = saved
      raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
      raw.c_cflag |= tcflag_t(CS8)
      raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
      withUnsafeMutableBytes(of: &raw.c_cc) { cc in
        cc[Int(VMIN)] = 1
        cc[Int(VTIME)] = 0
      }
      state.pointee.saved = saved
      state.pointee.raw = raw
      state.pointee.fd = fd
      state.pointee.events = 0
      Self.registerExitHook()
    }
    // Handlers first and the flag before the call, so no signal can find the terminal raw
    // with nobody to restore it.
    installHandlers()
    state.pointee.rawApplied = 1
    guard tcsetattr(fd, TCSADRAIN, &state.pointee.raw) == 0 else {
      let code = errno
      if !isRaw {
        state.pointee.rawApplied = 0
        uninstallHandlers()
      }
      throw .system(operation: "tcsetattr", errno: code)
    }
    isRaw = true
  }

  /// Restores the saved settings and the previous signal dispositions. Safe to call twice.
  public func restore() {
    guard isRaw else { return }
    isRaw = false
    let state = SignalState.shared
    state.pointee.session = 0
    if state.pointee.rawApplied != 0 {
      state.pointee.rawApplied = 0
      _ = tcsetattr(fd, TCSADRAIN, &state.pointee.saved)
    }
    uninstallHandlers()
  }

  /// Returns and clears what the signal handlers noticed.
  public func takeEvents() -> Events {
    let state = SignalState.shared
    let events = Events(rawValue: state.pointee.events)
    state.pointee.events = 0
    return events
  }

  /// Stops the process like Ctrl-Z in a shell: the terminal is restored while stopped and
  /// raw mode comes back on SIGCONT. Does nothing if SIGTSTP is ignored.
  public func suspend() {
    guard isRaw, SignalState.shared.pointee.installed[Int(SIGTSTP)] != 0 else { return }
    raise(SIGTSTP)
  }

  deinit { restore() }

  // MARK: - Signal handlers

  private static let handledSignals: [Int32] = [
    SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH,
  ]

  private func installHandlers() {
    let state = SignalState.shared
    state.pointee.session = 1
    for signal in Self.handledSignals {
      let index = Int(signal)
      guard state.pointee.installed[index] == 0 else { continue }
      var action = sigaction()
      action.__sigaction_handler.sa_handler = terminalSignalHandler
      sigemptyset(&action.sa_mask)
      action.sa_flags = 0  // no SA_RESTART: a blocked read() returns EINTR so we can redraw
      var previous = sigaction()
      guard sigaction(signal, &action, &previous) == 0 else { continue }
      let ignored =
        unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self)
        == unsafeBitCast(SIG_IGN, to: Int.self)
      if ignored && signal != SIGCONT && signal != SIGWINCH {
        _ = sigaction(signal, &previous, nil)  // leave ignored signals ignored
        continue
      }
      state.pointee.previous[index] = previous
      state.pointee.installed[index] = 1
    }
  }

  private func uninstallHandlers() {
    let state = SignalState.shared
    state.pointee.session = 0
    for signal in Self.handledSignals {
      let index = Int(signal)
      guard state.pointee.installed[index] != 0 else { continue }
      state.pointee.installed[index] = 0
      _ = sigaction(signal, &state.pointee.previous[index], nil)
    }
  }

  private static func registerExitHook() {
    let state = SignalState.shared
    guard state.pointee.exitHookRegistered == 0 else { return }
    state.pointee.exitHookRegistered = 1
    atexit(terminalExitHook)
  }
}

// MARK: - Async-signal-safe state

/// Everything the signal handlers touch, in memory allocated once and never freed.
struct SignalState {
  static let signalCount = 65

  var saved = termios()
  var raw = termios()
  var fd: Int32 = 0
  /// 1 while handlers are installed (between `enter()` and `restore()`).
  var session: Int32 = 0
  /// 1 while the terminal actually has the raw settings.
  var rawApplied: Int32 = 0
  /// 1 while stopped by our SIGTSTP handler.
  var suspended: Int32 = 0
  var events: Int32 = 0
  var exitHookRegistered: Int32 = 0
  var installed: UnsafeMutablePointer<Int32>
  var previous: UnsafeMutablePointer<sigaction>

  /// Allocated on first use, which happens in `enter()` before any handler is installed.
  nonisolated(unsafe) static let shared: UnsafeMutablePointer<SignalState> = {
    let installed = UnsafeMutablePointer<Int32>.allocate(capacity: signalCount)
    installed.initialize(repeating: 0, count: signalCount)
    let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: signalCount)
    previous.initialize(repeating: sigaction(), count: signalCount)
    let state = UnsafeMutablePointer<SignalState>.allocate(capacity: 1)
    state.initialize(to: SignalState(installed: installed, previous: previous))
    return state
  }()
}

/// Runs at `exit()`: puts the terminal back if raw mode is still on.
private func terminalExitHook() {
  let state = SignalState.shared
  if state.pointee.rawApplied != 0 {
    state.pointee.rawApplied = 0
    _ = tcsetattr(state.pointee.fd, TCSADRAIN, &state.pointee.saved)
  }
}

/// The signal handler; only async-signal-safe calls (tcsetattr, sigaction, raise).
private func terminalSignalHandler(_ signal: Int32) {
  let state = SignalState.shared
  let index = Int(signal)
  switch signal {
  case SIGWINCH:
    state.pointee.events |= TerminalMode.Events.resized.rawValue
  case SIGCONT:
    if state.pointee.suspended != 0 {
      state.pointee.suspended = 0
      if state.pointee.session != 0 {
        // Re-arm SIGTSTP and go back to raw mode.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = terminalSignalHandler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        _ = sigaction(SIGTSTP, &action, nil)
        state.pointee.installed[Int(SIGTSTP)] = 1
        _ = tcsetattr(state.pointee.fd, TCSADRAIN, &state.pointee.raw)
        state.pointee.rawApplied = 1
        state.pointee.events |= TerminalMode.Events.resumed.rawValue
      }
    }
  case SIGTSTP:
    if state.pointee.rawApplied != 0 {
      state.pointee.rawApplied = 0
      _ = tcsetattr(state.pointee.fd, TCSADRAIN, &state.pointee.saved)
      // If a previous handler keeps the process running, the reader re-enters raw mode.
      state.pointee.events |= TerminalMode.Events.rawModeLost.rawValue
    }
    state.pointee.suspended = 1
    // Reinstall the previous disposition (usually SIG_DFL: stop) and re-raise; the signal
    // is blocked inside this handler, so it is delivered when the handler returns.
    state.pointee.installed[index] = 0
    _ = sigaction(signal, &state.pointee.previous[index], nil)
    raise(signal)
  default:
    if state.pointee.rawApplied != 0 {
      state.pointee.rawApplied = 0
      _ = tcsetattr(state.pointee.fd, TCSADRAIN, &state.pointee.saved)
      state.pointee.events |= TerminalMode.Events.rawModeLost.rawValue
    }
    state.pointee.installed[index] = 0
    _ = sigaction(signal, &state.pointee.previous[index], nil)
    raise(signal)
  }
}
