/// The TesseraRuntime module (see docs/ and ARCHITECTURE.md).
public enum TesseraRuntimeModule {}
