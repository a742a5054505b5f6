// TesseraONNX: import and export of ONNX models to and from the graph IR.
