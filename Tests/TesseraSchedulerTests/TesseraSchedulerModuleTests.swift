import Testing
@testable import TesseraScheduler
