/// The training section: a summary table and loss/accuracy curves per epoch.
enum TrainingSection {
  static func make(_ input: Sourced<TrainingRun>) -> ReportSection {
    let run = input.value
    let n = ChartNumber.self
    var rows: [[String]] = []
    if let model = run.model { rows.append(["model", model]) }
    if let parameters = run.parameters { rows.append(["trainable parameters", "\(parameters)"]) }
    rows.append(["epochs", "\(run.epochs.count)"])
    if let optimizer = run.optimizer { rows.append(["optimizer", optimizer]) }
    if let lr = run.learningRate { rows.append(["peak learning rate", n.label(lr, significant: 4)]) }
    if let batch = run.batchSize { rows.append(["batch size", "\(batch)"]) }
    if let train = run.trainSamples, let test = run.testSamples { rows.append(["train / test samples", "\(train) / \(test)"]) }
    if let last = run.epochs.last {
      rows.append(["last epoch: train / test top-1", "\(n.percent(last.trainAccuracy)) / \(n.percent(last.testAccuracy))"])
    }
    if let best = run.epochs.max(by: { $0.testAccuracy < $1.testAccuracy }) {
      rows.append(["best test top-1 (epoch)", "\(n.percent(best.testAccuracy)) (\(best.epoch))"])
    }
    if let accuracy = run.testAccuracy { rows.append(["exported model test top-1", n.percent(accuracy)]) }
    if let loss = run.testLoss { rows.append(["exported model test loss", n.fixed(loss, decimals: 4)]) }
    if let seconds = run.seconds { rows.append(["training time (s)", n.fixed(seconds, decimals: 1)]) }
    let epochs = run.epochs
    func series(_ name: String, _ value: (TrainingRun.Epoch) -> Double, dash: String? = nil) -> LineSeries {
      LineSeries(name: name, points: epochs.map { ScatterPoint(x: Double($0.epoch), y: value($0)) }, dash: dash)
    }
    let loss = LinePanel(
      title: "loss", x: ChartAxis("epoch", integer: true), y: ChartAxis("cross-entropy loss", includeZero: true),
      series: [series("train", \.trainLoss), series("test", \.testLoss, dash: "6 3")])
    let accuracy = LinePanel(
      title: "accuracy", x: ChartAxis("epoch", integer: true), y: ChartAxis("top-1 (%)", percent: true),
      series: [series("train", \.trainAccuracy), series("test", \.testAccuracy, dash: "6 3")])
    let chart = LineChart(
      title: "Training curves\(run.model.map { " — \($0)" } ?? "")", panels: [loss, accuracy],
      caption: epochs.last.map { "train: augmented batches in training mode; test: held-out set after epoch \($0.epoch)" } ?? "")
    return ReportSection(
      id: "training", title: "Training", lines: ["From \(input.source)."],
      tables: [HTMLTable(header: ["", "value"], rows: rows)], figures: [chart.svg()])
  }
}
