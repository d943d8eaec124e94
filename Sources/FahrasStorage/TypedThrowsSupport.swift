extension Array {
  /// `withUnsafeBytes` for closures that throw `StorageError` (the standard one is not typed).
  @inline(__always)
  public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(StorageError) -> R)
    throws(StorageError) -> R
  {
    let result: Result<R, StorageError> = withUnsafeBytes { raw in
      Result { () throws(StorageError) -> R in try body(raw) }
    }
    return try result.get()
  }

  /// `withUnsafeBufferPointer` for closures that throw `StorageError`.
  @inline(__always)
  public func withBuffer<R>(_ body: (UnsafeBufferPointer<Element>) throws(StorageError) -> R)
    throws(StorageError) -> R
  {
    let result: Result<R, StorageError> = withUnsafeBufferPointer { raw in
      Result { () throws(StorageError) -> R in try body(raw) }
    }
    return try result.get()
  }
}
