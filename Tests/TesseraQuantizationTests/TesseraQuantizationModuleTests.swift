import Testing
@testable import TesseraQuantization
