/// The TesseraScheduler module (see docs/ and ARCHITECTURE.md).
public enum TesseraSchedulerModule {}
