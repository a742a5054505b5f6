import Testing
@testable import TesseraRuntime
