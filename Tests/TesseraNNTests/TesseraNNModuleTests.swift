import Testing
@testable import TesseraNN
