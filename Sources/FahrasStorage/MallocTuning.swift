#if canImport(Glibc)
  import Glibc
#endif

/// Makes freed large buffers go back to the system at once, so that a memory budget measured in
/// resident memory holds.
///
/// glibc serves an allocation of at least `M_MMAP_THRESHOLD` bytes with its own `mmap` and unmaps it
/// when freed. The threshold starts at 128 KiB but rises (up to 32 MiB) each time such a block is
/// freed; after that, the indexer's large arrays come from the heap, whose freed space glibc keeps.
/// Measured on SaudiNewsNet with `--memory 128`: 204 MB of anonymous memory with the moving
/// threshold, 173 MB with a fixed 1 MiB one. Setting the threshold explicitly also stops it moving.
///
/// `mallopt` is not in the `Glibc` module, so it is looked up by name; on other C libraries (or if
/// the lookup fails) this does nothing.
public enum MallocTuning {
  /// glibc's `M_MMAP_THRESHOLD` parameter number (`malloc.h`).
  private static let mmapThresholdParameter: Int32 = -3

  /// Serves blocks of 1 MiB and more with `mmap` (and returns them to the system when freed).
  /// Idempotent; call before building large buffers.
  public static func returnLargeBlocksToSystem() {
    #if canImport(Glibc)
      typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
      // RTLD_DEFAULT is the null handle in glibc.
      guard let symbol = dlsym(nil, "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
      _ = mallopt(mmapThresholdParameter, 1 << 20)
    #endif
  }
}
