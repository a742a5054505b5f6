import Testing
import CTesseraKernels
@Test func linked() { #expect(TSR_ISA_SCALAR.rawValue == 0) }
