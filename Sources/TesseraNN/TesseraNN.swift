/// The TesseraNN module (see docs/ and ARCHITECTURE.md).
public enum TesseraNNModule {}
