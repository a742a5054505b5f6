/// The TesseraQuantization module (see docs/ and ARCHITECTURE.md).
public enum TesseraQuantizationModule {}
